package org.civicsync.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * Work to enqueue. The idempotency key is unique per jurisdiction and is also what the engine
 * sends to the remote system, so a retried create is recognised there too.
 */
public record NewWorkItem(
    String jurisdiction, String kind, String idempotencyKey, String payload, Instant notBefore) {

  public NewWorkItem {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    Objects.requireNonNull(kind, "kind == null");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey == null");
    Objects.requireNonNull(payload, "payload == null");
    Objects.requireNonNull(notBefore, "notBefore == null");
  }

  /** Work that is due at once ({@link Instant#EPOCH}: before any clock's now). */
  public static NewWorkItem now(String jurisdiction, String kind, String idempotencyKey,
      String payload) {
    return new NewWorkItem(jurisdiction, kind, idempotencyKey, payload, Instant.EPOCH);
  }
}
