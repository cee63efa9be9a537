package org.civicsync.core.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A unit of remote work. {@link #attempts()} counts claims: it grows each time the item is handed
 * to a worker, so an item whose worker keeps dying still reaches its limit.
 * {@link #owner()} is the last worker that claimed it; it stays after the claim ends, for diagnosis.
 */
public record OutboxItem(
    long id,
    String jurisdiction,
    String kind,
    String idempotencyKey,
    String payload,
    OutboxState state,
    int attempts,
    Instant nextAttempt,
    Optional<String> lastError,
    Optional<String> owner,
    Optional<Instant> claimedUntil) {

  public OutboxItem {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    Objects.requireNonNull(kind, "kind == null");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey == null");
    Objects.requireNonNull(payload, "payload == null");
    Objects.requireNonNull(state, "state == null");
    Objects.requireNonNull(nextAttempt, "nextAttempt == null");
    Objects.requireNonNull(lastError, "lastError == null");
    Objects.requireNonNull(owner, "owner == null");
    Objects.requireNonNull(claimedUntil, "claimedUntil == null");
  }
}
