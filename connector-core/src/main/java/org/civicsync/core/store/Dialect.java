package org.civicsync.core.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What differs between H2 and PostgreSQL. Kept tiny on purpose: the schema and almost every
 * statement are shared (H2 runs in PostgreSQL mode, which accepts {@code ON CONFLICT DO NOTHING});
 * only how a commit is made durable and how the outbox claim locks differ.
 */
enum Dialect {
  /** PostgreSQL: a commit returns after the WAL is flushed (synchronous_commit=on, the default). */
  POSTGRESQL(false, " FOR UPDATE SKIP LOCKED", 1),
  /**
   * H2 with WRITE_DELAY=0: a commit writes its chunk to the file before returning, which survives
   * the death of the process; the OS may still hold it in its page cache.
   */
  H2(false, "", 1000),
  /** H2 that also forces the file to the device after each commit (CHECKPOINT SYNC). */
  H2_FSYNC(true, "", 1000);

  private final boolean syncAfterCommit;
  private final String claimLock;
  private final int identityCache;

  Dialect(boolean syncAfterCommit, String claimLock, int identityCache) {
    this.syncAfterCommit = syncAfterCommit;
    this.claimLock = claimLock;
    this.identityCache = identityCache;
  }

  /**
   * Identity values handed out from memory between two records of the sequence (migration V4).
   * H2 records a sequence with a store of its own, which under WRITE_DELAY=0 is a whole chunk
   * written inside the inserting transaction; PostgreSQL keeps its default of 1, so ids from
   * different connections stay close to commit order.
   */
  int identityCache() {
    return identityCache;
  }

  /**
   * What ends the outbox's claim query. PostgreSQL locks only the rows the LIMIT keeps, and skips
   * those another claimer holds. H2 locks every row the WHERE matches before the LIMIT applies:
   * with 100,000 due items each claim of 200 took about 3 s (against 2 ms without). On H2 the
   * claim therefore relies on its conditional update alone ({@code WHERE id = ? AND state = ?}),
   * which already guarantees that no two claimers get the same row.
   */
  String claimLock() {
    return claimLock;
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
