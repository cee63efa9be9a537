package org.civicsync.core.sync;

import java.util.Optional;
import org.civicsync.core.mapping.MappedStatus;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.model.Status;
import org.civicsync.core.spi.ChangeCursor;
import org.civicsync.core.spi.ChangeFeed;
import org.civicsync.core.spi.ChangePage;
import org.civicsync.core.spi.CrmChange;
import org.civicsync.core.store.Link;
import org.civicsync.core.store.NewJournalEntry;
import org.civicsync.core.store.NewWorkItem;
import org.civicsync.core.store.Side;
import org.civicsync.core.store.SideState;
import org.civicsync.core.store.SyncState;
import org.civicsync.core.store.SyncStore;

/**
 * CRM changes (status, notes, closure) become Open311 updates: journalled with a deterministic
 * {@code update_id} ({@code crm-<case>-<version>}) and, where the endpoint takes updates, queued
 * for delivery. Each page of changes is recorded with its cursor in one transaction.
 *
 * <p>A case we have no link for was raised in the CRM, not from Open311: dropped, unless an
 * {@link Unlinked} policy (serve mode's) adopts it as a link with no Open311 report, whose later
 * changes are journalled like any other's. Also dropped: changes
 * the engine made itself (their update id was recorded as seen), and changes not newer than the
 * version already recorded (a repeat across pages or a restart).
 */
final class CrmChangeReader {
  /** What to do with a change to a case that has no link, in the transaction of its page. */
  interface Unlinked {
    /** The link made for the case, or empty to drop the change. */
    Optional<Link> adopt(Jurisdiction j, SyncState tx, CrmChange change);
  }

  private final SyncStore store;
  private final Optional<Unlinked> unlinked;

  CrmChangeReader(SyncStore store) {
    this(store, Optional.empty());
  }

  CrmChangeReader(SyncStore store, Optional<Unlinked> unlinked) {
    this.store = store;
    this.unlinked = unlinked;
  }

  void run(Jurisdiction j, PassResult.Counter count) {
    Optional<ChangeFeed> maybeFeed = j.feed();
    if (maybeFeed.isEmpty()) {
      return;
    }
    ChangeFeed feed = maybeFeed.get();
    String cursorName = "crm-changes:" + j.id();
    ChangeCursor cursor = store.cursors().get(cursorName).map(c -> ChangeCursor.of(c.value()))
        .orElseGet(() -> feed.cursorAt(j.settings().backfillFrom()));
    while (true) {
      ChangeCursor from = cursor;
      ChangePage page = j.crmGuard().callOnce(() -> feed.changesSince(from, j.settings().pageSize()));
      store.runInTransaction(tx -> {
        for (CrmChange change : page.changes()) {
          count.crmChangesRead++;
          apply(j, tx, change, count);
        }
        tx.cursors().put(cursorName, page.next().value());
      });
      cursor = page.next();
      count.tick();
      if (!page.more() || page.changes().isEmpty()) {
        return;
      }
    }
  }

  private void apply(Jurisdiction j, SyncState tx, CrmChange change, PassResult.Counter count) {
    Optional<Link> found = tx.links().findByCrmId(j.id(), change.caseId());
    if (found.isEmpty()) {
      unlinked.ifPresent(u -> u.adopt(j, tx, change));
      return;
    }
    if (found.get().open311Id().isEmpty() && unlinked.isEmpty()) {
      return;
    }
    Link link = found.get();
    if (change.updateId().isPresent() && tx.seen().contains(j.id(), Side.CRM, change.updateId().get())) {
      count.echoesDropped++;
      return;
    }
    String version = Long.toString(change.version());
    if (!StatusRules.newer(version, link.crm().version())) {
      count.staleDropped++;
      return;
    }
    MappedStatus mapped = j.mapping().statuses().fromCrm(change.crmCase().statusCode(), change.caseId());
    Optional<Status> status = mapped.status().map(s -> reopening(link, s));
    boolean moves = status.isPresent() && StatusRules.moves(link.crm().status(), status.get());
    Optional<String> note = change.note().map(n -> n.text()).filter(t -> !t.isBlank());
    Link updated = link.withSide(Side.CRM,
        new SideState(moves ? status : link.crm().status(), Optional.of(version)));
    if (moves || note.isPresent()) {
      ReportUpdate update = ReportUpdate.builder()
          .updateId("crm-" + change.caseId() + "-" + version)
          .serviceRequestId(link.open311Id().orElse(change.caseId()))
          .fixMyStreetId(link.fixMyStreetId().orElse(null))
          .status(moves ? status.get() : Status.UNCHANGED)
          .description(note.orElse(""))
          .updated(j.mapping().open311Time(change.modified()))
          .externalStatusCode(mapped.externalStatusCode())
          .build();
      String payload = Payloads.write(new Work.DeliverUpdate(link.id(), update));
      if (tx.journal().append(new NewJournalEntry(j.id(), Side.OPEN311, update.updateId().get(),
          link.id(), change.modified(), payload)) && j.open311().acceptsUpdates()) {
        tx.outbox().enqueue(NewWorkItem.now(j.id(), Work.DELIVER_UPDATE,
            "deliver:" + update.updateId().get(), payload));
        // Marked as ours before it is sent: a node reading the Open311 feed while the POST is on
        // the wire must already know it for an echo.
        tx.seen().record(j.id(), Side.OPEN311, update.updateId().get());
      }
      count.updatesForOpen311++;
    }
    LinkConflict.check(tx.links().update(updated.withComplete(Completion.isComplete(updated))), link);
  }

  /** A CRM case that opens again after being closed is an explicit reopen. */
  private static Status reopening(Link link, Status status) {
    boolean wasClosed = link.crm().status().map(Status::isClosed).orElse(false);
    return wasClosed && !status.isClosed() ? Status.REOPEN : status;
  }
}
