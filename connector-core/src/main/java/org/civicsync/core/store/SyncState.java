package org.civicsync.core.store;

/**
 * The tables of the store. Offered by {@link SyncStore} (each call its own transaction) and inside
 * {@link SyncStore#inTransaction} (all calls in one transaction).
 */
public interface SyncState {

  Links links();

  Journal journal();

  Outbox outbox();

  Cursors cursors();

  Leases leases();

  Seen seen();

  /** Serve mode's list of reports for {@code GET requests}. */
  ServedRequests served();

  /** Serve mode's received reports, not yet drained into links and work. */
  Receipts receipts();
}
