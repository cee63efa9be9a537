package org.civicsync.crm.feed;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.civicsync.core.spi.ChangeCursor;

/**
 * A place in an adapter's change feed: the keyset (modified, id). "After this place" means every
 * record of a later modified time, and those of the same time with a larger id, ordered by
 * (modified, id); so a page that ends inside a run of equal times resumes right after its last
 * record. An empty id means "from the start of that time", which is what
 * {@link org.civicsync.core.spi.ChangeFeed#cursorAt} gives the engine's overlap re-read: a record
 * committed late with a smaller id (or an earlier time) is found by that overlap, never by an
 * offset, since an offset skips rows when the set shifts.
 *
 * <p>Exists because the ServiceNow, Salesforce and JDBC adapters each had their own copy of this
 * record and its cursor encoding. The query for "after this place" stays in each adapter; only
 * the position and its text form are shared. The text forms differ per adapter (see
 * {@link Format}) and must not change: the engine stores cursors and hands them back after an
 * upgrade.
 */
public record KeysetPosition(Instant modified, String id) {
  public KeysetPosition {
    Objects.requireNonNull(modified, "modified == null");
    Objects.requireNonNull(id, "id == null");
  }

  /** The start of {@code time}: every record modified then or later. */
  public static KeysetPosition from(Instant time) {
    return new KeysetPosition(time, "");
  }

  /** Whether this is the start of a time rather than a place after a record. */
  public boolean fromStart() {
    return id.isEmpty();
  }

  /** How one adapter writes a position into a {@link ChangeCursor} and reads it back. */
  public static final class Format {
    private final String prefix;
    private final boolean epochSeconds;
    private final Predicate<String> validId;

    private Format(String prefix, boolean epochSeconds, Predicate<String> validId) {
      this.prefix = Objects.requireNonNull(prefix, "prefix == null");
      this.epochSeconds = epochSeconds;
      this.validId = Objects.requireNonNull(validId, "validId == null");
    }

    /**
     * {@code <prefix><epoch second>:<id>}, for feeds whose times have one-second precision (the
     * sub-second part is dropped); a cursor whose id fails {@code validId} is not ours.
     */
    public static Format epochSeconds(String prefix, Predicate<String> validId) {
      return new Format(prefix, true, validId);
    }

    /** {@code <prefix><ISO-8601 instant>|<id>}, full precision; any id is accepted. */
    public static Format isoInstant(String prefix) {
      return new Format(prefix, false, id -> true);
    }

    public ChangeCursor toCursor(KeysetPosition position) {
      return ChangeCursor.of(epochSeconds
          ? prefix + position.modified().getEpochSecond() + ":" + position.id()
          : prefix + position.modified() + "|" + position.id());
    }

    /** Reads a cursor this format made; empty for anything else. */
    public Optional<KeysetPosition> parse(ChangeCursor cursor) {
      String value = cursor.value();
      if (!value.startsWith(prefix)) {
        return Optional.empty();
      }
      String rest = value.substring(prefix.length());
      String[] parts = epochSeconds ? rest.split(":", -1) : rest.split("\\|", 2);
      if (parts.length != 2 || !validId.test(parts[1])) {
        return Optional.empty();
      }
      try {
        Instant modified = epochSeconds
            ? Instant.ofEpochSecond(Long.parseLong(parts[0])) : Instant.parse(parts[0]);
        return Optional.of(new KeysetPosition(modified, parts[1]));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }
  }
}
