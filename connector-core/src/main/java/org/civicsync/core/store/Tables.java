package org.civicsync.core.store;

/** The eight tables over one {@link Scope}. */
record Tables(Links links, Journal journal, Outbox outbox, Cursors cursors, Leases leases,
    Seen seen, ServedRequests served, Receipts receipts) implements SyncState {

  static Tables over(Scope scope) {
    return new Tables(new JdbcLinks(scope), new JdbcJournal(scope), new JdbcOutbox(scope),
        new JdbcCursors(scope), new JdbcLeases(scope), new JdbcSeen(scope),
        new JdbcServedRequests(scope), new JdbcReceipts(scope));
  }
}
