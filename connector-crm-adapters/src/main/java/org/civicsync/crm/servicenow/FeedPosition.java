package org.civicsync.crm.servicenow;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import org.civicsync.core.spi.ChangeCursor;

/**
 * A place in the ServiceNow change feed: the keyset ({@code sys_updated_on}, {@code sys_id}).
 *
 * <p>{@code sys_updated_on} has one-second precision, so many records share a time; the
 * {@code sys_id} breaks the tie. The query for "after this place" is
 *
 * <pre>
 * sys_updated_on&gt;T^NQsys_updated_on=T^sys_id&gt;ID^ORDERBYsys_updated_on^ORDERBYsys_id
 * </pre>
 *
 * ({@code ^NQ} is the encoded query's top-level OR): every record of a later second, and the
 * records of the same second with a larger id. A page boundary inside a run of equal times thus
 * resumes exactly after the last record returned. An empty id means "from the start of T", which
 * is what {@link org.civicsync.core.spi.ChangeFeed#cursorAt} gives the engine's overlap window:
 * a record updated in the same second but committed after we read it, with a smaller id, is only
 * found by that overlap re-read. No offsets: an offset skips rows when the set shifts.
 */
record FeedPosition(Instant second, String sysId) {
  private static final String PREFIX = "sn1:";
  private static final DateTimeFormatter QUERY_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  FeedPosition {
    Objects.requireNonNull(second, "second == null");
    Objects.requireNonNull(sysId, "sysId == null");
    second = second.truncatedTo(ChronoUnit.SECONDS);
  }

  static FeedPosition from(Instant time) {
    return new FeedPosition(time, "");
  }

  ChangeCursor toCursor() {
    return ChangeCursor.of(PREFIX + second.getEpochSecond() + ":" + sysId);
  }

  /** Reads a cursor this adapter made; empty for anything else. */
  static Optional<FeedPosition> of(ChangeCursor cursor) {
    String value = cursor.value();
    if (!value.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String[] parts = value.substring(PREFIX.length()).split(":", -1);
    if (parts.length != 2 || !parts[1].matches("[0-9a-f]{0,32}")) {
      return Optional.empty();
    }
    try {
      return Optional.of(new FeedPosition(Instant.ofEpochSecond(Long.parseLong(parts[0])), parts[1]));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The encoded query for every record at or after this place, oldest first. Literal times are
   * written in the integration user's zone, as the instance reads them.
   */
  String query(ZoneId userZone) {
    String t = QUERY_TIME.format(second.atZone(userZone));
    String order = "^ORDERBYsys_updated_on^ORDERBYsys_id";
    if (sysId.isEmpty()) {
      return "sys_updated_on>=" + t + order;
    }
    return "sys_updated_on>" + t + "^NQsys_updated_on=" + t + "^sys_id>" + sysId + order;
  }
}
