package org.civicsync.core.spi;

import java.util.Objects;

/**
 * A position in a {@link ChangeFeed}, opaque to everyone but the adapter that made it. It is a
 * string so the engine can store it in its state and hand it back after a restart, with no
 * adapter code involved; what the string means (a timestamp and id, a sequence number, a
 * delta token) is the adapter's business, and it may change its format between versions only if
 * it still reads the old one.
 */
public record ChangeCursor(String value) {
  public ChangeCursor {
    Objects.requireNonNull(value, "value == null");
    if (value.isBlank()) {
      throw new IllegalArgumentException("cursor value is blank");
    }
  }

  public static ChangeCursor of(String value) {
    return new ChangeCursor(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
