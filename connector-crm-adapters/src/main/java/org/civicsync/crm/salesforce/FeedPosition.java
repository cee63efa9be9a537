package org.civicsync.crm.salesforce;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.civicsync.core.spi.ChangeCursor;

/**
 * A place in the Salesforce change feed: the keyset ({@code SystemModstamp}, {@code Id}).
 *
 * <p>{@code SystemModstamp} is stored to the second, so many Cases share one; the {@code Id}
 * (comparable in SOQL, as PK chunking uses it) breaks the tie. "After this place" is
 *
 * <pre>
 * WHERE SystemModstamp &gt;= T AND (SystemModstamp &gt; T OR Id &gt; 'X') ORDER BY SystemModstamp, Id
 * </pre>
 *
 * every Case of a later second, and those of the same second with a larger Id; so a page that
 * ends inside a run of equal times resumes right after its last Case. An empty Id means "from the
 * start of T": {@link org.civicsync.core.spi.ChangeFeed#cursorAt} for the engine's overlap
 * re-read, which is how a Case committed late with a smaller Id is still found. No OFFSET: it
 * skips rows when the set shifts, and SOQL caps it at 2,000 anyway.
 */
record FeedPosition(Instant second, String id) {
  private static final String PREFIX = "sf1:";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{15}([A-Za-z0-9]{3})?");
  private static final DateTimeFormatter SOQL_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  FeedPosition {
    Objects.requireNonNull(second, "second == null");
    Objects.requireNonNull(id, "id == null");
    second = second.truncatedTo(ChronoUnit.SECONDS);
  }

  static FeedPosition from(Instant time) {
    return new FeedPosition(time, "");
  }

  ChangeCursor toCursor() {
    return ChangeCursor.of(PREFIX + second.getEpochSecond() + ":" + id);
  }

  /** Reads a cursor this adapter made; empty for anything else. */
  static Optional<FeedPosition> of(ChangeCursor cursor) {
    String value = cursor.value();
    if (!value.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String[] parts = value.substring(PREFIX.length()).split(":", -1);
    if (parts.length != 2 || !(parts[1].isEmpty() || isId(parts[1]))) {
      return Optional.empty();
    }
    try {
      return Optional.of(new FeedPosition(Instant.ofEpochSecond(Long.parseLong(parts[0])), parts[1]));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  static boolean isId(String value) {
    return ID.matcher(value).matches();
  }

  /** The WHERE clause (without the keyword) for every Case at or after this place. */
  String where() {
    String t = SOQL_TIME.format(second);
    if (id.isEmpty()) {
      return "SystemModstamp >= " + t;
    }
    // The id is checked against ID above: it cannot close the quote.
    return "SystemModstamp >= " + t + " AND (SystemModstamp > " + t + " OR Id > '" + id + "')";
  }
}
