package org.civicsync.core.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code outbox} table: remote calls to make, claimed by workers on one or several nodes.
 *
 * <p>The mark methods take the claiming owner and return false when that owner no longer holds the
 * item (its claim expired and another worker took it): the late result is then dropped, and the new
 * owner settles the item.
 */
public interface Outbox {

  /** @return false if (jurisdiction, idempotencyKey) exists already: never a duplicate item */
  boolean enqueue(NewWorkItem item);

  Optional<OutboxItem> find(long id);

  Optional<OutboxItem> findByKey(String jurisdiction, String idempotencyKey);

  /**
   * Hands up to {@code limit} due items (PENDING or UNKNOWN with nextAttempt &lt;= now) to
   * {@code owner}, IN_FLIGHT until {@code now + claimTtl}. First turns IN_FLIGHT items whose claim
   * expired into UNKNOWN, so they are claimable. Concurrent claimers never get the same item
   * (row locks with SKIP LOCKED, and a conditional update).
   */
  List<Claim> claim(String owner, int limit, Instant now, Duration claimTtl);

  /**
   * {@link #claim(String, int, Instant, Duration)} for one jurisdiction's items only, so a node
   * working one council never holds another's work.
   */
  List<Claim> claim(String jurisdiction, String owner, int limit, Instant now, Duration claimTtl);

  /**
   * Hands one PENDING item to {@code owner}, IN_FLIGHT until {@code now + claimTtl}: how a request
   * that must answer with the outcome (serve mode's realtime create) works its own item at once,
   * while other workers skip it. Empty when the item is not PENDING (someone else has it).
   */
  Optional<Claim> claimItem(long id, String owner, Instant now, Duration claimTtl);

  /** The call succeeded. Also accepted while UNKNOWN, as long as no one else claimed the item. */
  boolean markDone(long id, String owner);

  /** The call's outcome is unknown (e.g. a timeout after sending): settle from nextAttempt on. */
  boolean markUnknown(long id, String owner, String error, Instant nextAttempt);

  /**
   * The call failed without effect: PENDING again from {@code nextAttempt}, or DEAD once attempts
   * reached {@code maxAttempts}.
   */
  boolean markFailed(long id, String owner, String error, Instant nextAttempt, int maxAttempts);

  /** DEAD items of a jurisdiction, by id. */
  List<OutboxItem> listDead(String jurisdiction);

  /** Makes a DEAD item PENDING again with zero attempts, due now. False if it was not DEAD. */
  boolean replay(long id);

  /** How many items are in each state, every state present (zero when none). */
  Map<OutboxState, Long> counts(String jurisdiction);

  /** {@link #counts(String)} for every jurisdiction that has items. */
  Map<String, Map<OutboxState, Long>> counts();
}
