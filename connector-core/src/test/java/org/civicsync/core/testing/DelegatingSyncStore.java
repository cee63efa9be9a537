package org.civicsync.core.testing;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.civicsync.core.store.Cursors;
import org.civicsync.core.store.Journal;
import org.civicsync.core.store.Leases;
import org.civicsync.core.store.Links;
import org.civicsync.core.store.Outbox;
import org.civicsync.core.store.ReceiptLog;
import org.civicsync.core.store.Receipts;
import org.civicsync.core.store.Seen;
import org.civicsync.core.store.ServedRequests;
import org.civicsync.core.store.SyncState;
import org.civicsync.core.store.SyncStore;

/** A store passing every call to another; tests override what they need to change. */
public class DelegatingSyncStore implements SyncStore {
  private final SyncStore store;

  public DelegatingSyncStore(SyncStore store) {
    this.store = store;
  }

  @Override
  public Links links() {
    return store.links();
  }

  @Override
  public Journal journal() {
    return store.journal();
  }

  @Override
  public Outbox outbox() {
    return store.outbox();
  }

  @Override
  public Cursors cursors() {
    return store.cursors();
  }

  @Override
  public Leases leases() {
    return store.leases();
  }

  @Override
  public Seen seen() {
    return store.seen();
  }

  @Override
  public ServedRequests served() {
    return store.served();
  }

  @Override
  public Receipts receipts() {
    return store.receipts();
  }

  @Override
  public <T> T inTransaction(Function<SyncState, T> work) {
    return store.inTransaction(work);
  }

  @Override
  public void runInTransaction(Consumer<SyncState> work) {
    store.runInTransaction(work);
  }

  @Override
  public Optional<ReceiptLog> receiptLog() {
    return store.receiptLog();
  }

  @Override
  public void close() {
    store.close();
  }
}
