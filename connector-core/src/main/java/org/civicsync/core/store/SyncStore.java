package org.civicsync.core.store;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The durable state of the sync engine. Every call on the tables returned here runs in its own
 * transaction and is durable when it returns; use {@link #inTransaction} to make several changes
 * atomic ("link created + outbox item done + cursor advanced"). Create one with {@link SyncStores}.
 */
public interface SyncStore extends SyncState, AutoCloseable {

  /**
   * Runs {@code work} in one transaction and commits when it returns; rolls back if it throws.
   * The {@link SyncState} given to {@code work} is valid only during the call.
   */
  <T> T inTransaction(Function<SyncState, T> work);

  /** {@link #inTransaction} for work without a result. */
  void runInTransaction(Consumer<SyncState> work);

  /**
   * Serve mode's receipt log, where an H2 file store keeps received reports until they are
   * drained (in {@code <name>.receipts/} beside {@code <name>.mv.db}); opened on first call and
   * closed with the store. Empty for PostgreSQL, whose {@link #receipts} table several nodes can
   * share.
   */
  default Optional<ReceiptLog> receiptLog() {
    return Optional.empty();
  }

  /** Closes the connection pool (and the receipt log, if opened). */
  @Override
  void close();
}
