package org.civicsync.core.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What differs between H2 and PostgreSQL. Kept tiny on purpose: the schema and every statement are
 * shared (H2 runs in PostgreSQL mode, which accepts {@code ON CONFLICT DO NOTHING} and
 * {@code FOR UPDATE SKIP LOCKED}); only how a commit is made durable differs.
 */
enum Dialect {
  /** PostgreSQL: a commit returns after the WAL is flushed (synchronous_commit=on, the default). */
  POSTGRESQL(false),
  /**
   * H2 with WRITE_DELAY=0: a commit writes its chunk to the file before returning, which survives
   * the death of the process; the OS may still hold it in its page cache.
   */
  H2(false),
  /** H2 that also forces the file to the device after each commit (CHECKPOINT SYNC). */
  H2_FSYNC(true);

  private final boolean syncAfterCommit;

  Dialect(boolean syncAfterCommit) {
    this.syncAfterCommit = syncAfterCommit;
  }

  /** Called after each successful commit, on the same connection. */
  void afterCommit(Connection connection) throws SQLException {
    if (syncAfterCommit) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CHECKPOINT SYNC");
      }
    }
  }
}
