package org.civicsync.core.crm.memory;

import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import org.civicsync.core.spi.ChangeCursor;

/**
 * A place in the in-memory change log: the keyset (modified, change number). The change number
 * breaks ties between changes with the same modified time, so a page boundary that falls inside
 * a run of equal times resumes exactly after the last change returned.
 */
record FeedPosition(Instant modified, long change) implements Comparable<FeedPosition> {
  private static final String PREFIX = "mem1:";
  private static final Comparator<FeedPosition> ORDER =
      Comparator.comparing(FeedPosition::modified).thenComparingLong(FeedPosition::change);

  /** Before every change modified at or after {@code time}: change numbers start at 1. */
  static FeedPosition before(Instant time) {
    return new FeedPosition(time, 0);
  }

  @Override
  public int compareTo(FeedPosition other) {
    return ORDER.compare(this, other);
  }

  ChangeCursor toCursor() {
    return ChangeCursor.of(
        PREFIX + modified.getEpochSecond() + ":" + modified.getNano() + ":" + change);
  }

  /** Reads a cursor this CRM made; empty for anything else. */
  static Optional<FeedPosition> of(ChangeCursor cursor) {
    String value = cursor.value();
    if (!value.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String[] parts = value.substring(PREFIX.length()).split(":", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      Instant modified = Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
      long change = Long.parseLong(parts[2]);
      return change < 0 ? Optional.empty() : Optional.of(new FeedPosition(modified, change));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
