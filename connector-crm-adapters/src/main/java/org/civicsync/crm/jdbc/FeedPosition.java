package org.civicsync.crm.jdbc;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import org.civicsync.core.spi.ChangeCursor;

/**
 * A place in the change feed: the keyset (modified, id). "After this place" is
 *
 * <pre>
 * WHERE modified &gt;= ? AND (modified &gt; ? OR id &gt; ?) ORDER BY modified, id
 * </pre>
 *
 * (the form kafka-connect-jdbc uses): rows of a later time, and rows of the same time with a
 * larger id, so a page that ends inside a run of equal times resumes right after its last row.
 * An empty id means "from the start of that time", which is what
 * {@link org.civicsync.core.spi.ChangeFeed#cursorAt} gives the engine's overlap re-read: a row
 * committed late with an earlier modified time is found by that overlap, never by an offset.
 */
record FeedPosition(Instant modified, String id) {
  private static final String PREFIX = "jdbc1:";

  FeedPosition {
    Objects.requireNonNull(modified, "modified == null");
    Objects.requireNonNull(id, "id == null");
  }

  static FeedPosition from(Instant time) {
    return new FeedPosition(time, "");
  }

  boolean fromStart() {
    return id.isEmpty();
  }

  ChangeCursor toCursor() {
    return ChangeCursor.of(PREFIX + modified + "|" + id);
  }

  static Optional<FeedPosition> of(ChangeCursor cursor) {
    String value = cursor.value();
    if (!value.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String[] parts = value.substring(PREFIX.length()).split("\\|", 2);
    if (parts.length != 2) {
      return Optional.empty();
    }
    try {
      return Optional.of(new FeedPosition(Instant.parse(parts[0]), parts[1]));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
