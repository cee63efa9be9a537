package org.civicsync.core.sync;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.civicsync.core.store.GroupCommit;
import org.civicsync.core.store.Link;
import org.civicsync.core.store.Receipt;
import org.civicsync.core.store.SyncState;
import org.civicsync.core.store.SyncStore;

/**
 * Receipts in the store's {@code receipt} table: what several nodes sharing a PostgreSQL store
 * use. A receipt is a row committed with concurrent ones ({@link GroupCommit}); draining deletes
 * it in the transaction that writes its link, so two drainers cannot both take it.
 */
final class TableIntake implements Intake {
  private final SyncStore store;
  private final GroupCommit<SyncState> writes;

  TableIntake(SyncStore store, GroupCommit<SyncState> writes) {
    this.store = store;
    this.writes = writes;
  }

  @Override
  public ServeMode.Received keep(Jurisdiction j, String key, String version,
      Optional<String> fixMyStreetId, String payload) {
    return writes.run(tx -> keep(tx, j, key, version, fixMyStreetId, payload));
  }

  /**
   * The receipt is inserted first and the link looked up after it, so a drain committing in
   * between cannot make a resend look new: if the drain deleted the old receipt before this insert,
   * its link is visible to the lookup (the left-over receipt then drains into nothing, the link's
   * key being unique).
   */
  private static ServeMode.Received keep(SyncState tx, Jurisdiction j, String key, String version,
      Optional<String> fixMyStreetId, String payload) {
    boolean inserted = tx.receipts().insertIfAbsent(j.id(), key, version, fixMyStreetId, payload);
    if (!inserted && tx.receipts().find(j.id(), key).isPresent()) {
      return new ServeMode.Received(Optional.empty(), false, Optional.empty());
    }
    Optional<Link> link = tx.links().findByOpen311Id(j.id(), key);
    if (link.isPresent()) {
      if (inserted) {
        // A resend of a drained report: the link answers it; keep no second receipt.
        tx.receipts().find(j.id(), key).ifPresent(r -> tx.receipts().delete(r.id()));
      }
      return new ServeMode.Received(link, false, link.get().crmId());
    }
    if (!inserted) {
      // Neither receipt nor link: only if the receipt was drained and the link then removed.
      throw new IllegalStateException("report " + key + " was received but has neither receipt"
          + " nor link");
    }
    return new ServeMode.Received(Optional.empty(), true, Optional.empty());
  }

  /** Nothing to note: {@link #keep} looks for the link in its own transaction. */
  @Override
  public void linking(Jurisdiction j, String key) {
  }

  @Override
  public Optional<Receipt> pending(SyncState tx, Jurisdiction j, String key) {
    return tx.receipts().find(j.id(), key);
  }

  /** Unknown without a count over the table; serve mode then always drains. */
  @Override
  public OptionalInt backlog(Jurisdiction j) {
    return OptionalInt.empty();
  }

  @Override
  public List<Receipt> oldest(Jurisdiction j, int limit) {
    return store.receipts().oldest(j.id(), limit);
  }

  /** The delete comes first: of two drainers, the second waits for the first's commit. */
  @Override
  public boolean take(SyncState tx, Receipt receipt) {
    return tx.receipts().delete(receipt.id());
  }

  @Override
  public void drained(List<Receipt> receipts) {
    // Deleted with their links already.
  }
}
