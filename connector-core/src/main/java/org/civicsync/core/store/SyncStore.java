package org.civicsync.core.store;

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

  /** Closes the connection pool. */
  @Override
  void close();
}
