package org.civicsync.core.store;

import java.time.Instant;
import java.util.Objects;

/** A source's cursor as stored: the adapter's opaque value and when it was last written. */
public record StoredCursor(String source, String value, Instant updated) {

  public StoredCursor {
    Objects.requireNonNull(source, "source == null");
    Objects.requireNonNull(value, "value == null");
    Objects.requireNonNull(updated, "updated == null");
  }
}
