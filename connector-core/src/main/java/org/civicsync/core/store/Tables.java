package org.civicsync.core.store;

/** The seven tables over one {@link Scope}. */
record Tables(Links links, Journal journal, Outbox outbox, Cursors cursors, Leases leases,
    Seen seen, Receipts receipts) implements SyncState {

  static Tables over(Scope scope) {
    return new Tables(new JdbcLinks(scope), new JdbcJournal(scope), new JdbcOutbox(scope),
        new JdbcCursors(scope), new JdbcLeases(scope), new JdbcSeen(scope),
        new JdbcReceipts(scope));
  }
}
