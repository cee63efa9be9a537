package org.civicsync.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A report received and durably kept, not yet turned into a link and work (see {@link Receipts}).
 * The payload is opaque here: the engine serialises it.
 */
public record Receipt(long id, String jurisdiction, String key, String payload, Instant received) {

  public Receipt {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(payload, "payload == null");
    Objects.requireNonNull(received, "received == null");
  }
}
