package org.civicsync.core.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;

/**
 * Where a table's statements run: a fresh transaction per operation (pooled), or the connection of
 * an enclosing {@link SyncStore#inTransaction} call. The table classes do not know which.
 */
abstract class Scope {

  /** One unit of JDBC work. */
  @FunctionalInterface
  interface Work<T> {
    T apply(Connection connection) throws SQLException;
  }

  private final Clock clock;
  private final Dialect dialect;

  Scope(Clock clock, Dialect dialect) {
    this.clock = clock;
    this.dialect = dialect;
  }

  final Dialect dialect() {
    return dialect;
  }

  /** The store's time for what it stamps itself, at the precision the columns keep. */
  final Instant now() {
    return Columns.micros(clock.instant());
  }

  /**
   * Runs {@code work}; a failure becomes a {@link SyncStoreException} naming the operation and key.
   */
  abstract <T> T run(String operation, Object key, Work<T> work);
}
