package org.civicsync.core.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A report received and durably kept, not yet turned into a link and work (see {@link Receipts}).
 * The payload is opaque here: the engine serialises it. {@code version} and {@code fixMyStreetId}
 * are what the link will hold, kept beside the payload so that draining need not parse it.
 */
public record Receipt(long id, String jurisdiction, String key, String version,
    Optional<String> fixMyStreetId, String payload, Instant received) {

  public Receipt {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(version, "version == null");
    Objects.requireNonNull(fixMyStreetId, "fixMyStreetId == null");
    Objects.requireNonNull(payload, "payload == null");
    Objects.requireNonNull(received, "received == null");
  }
}
