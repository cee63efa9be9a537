package org.civicsync.core.sync;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.model.Status;
import org.civicsync.core.store.Link;
import org.civicsync.core.store.NewJournalEntry;
import org.civicsync.core.store.NewWorkItem;
import org.civicsync.core.store.Side;
import org.civicsync.core.store.SideState;
import org.civicsync.core.store.SyncState;
import org.civicsync.core.store.SyncStore;

/**
 * Changes on the Open311 side reach the CRM. {@code GET requests} is not a change feed, so linked
 * open requests are re-polled by id for status changes; where the endpoint has an updates feed,
 * citizens' comments and status changes are read from it too. Each becomes an "update the case"
 * work item whose key is stable, so a change read twice is queued once.
 */
final class Open311ChangeReader {
  private final SyncStore store;
  private final Clock clock;

  Open311ChangeReader(SyncStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  void run(Jurisdiction j, PassResult.Counter count) {
    repoll(j, count);
    readUpdates(j, count);
  }

  private void repoll(Jurisdiction j, PassResult.Counter count) {
    long afterId = 0;
    while (true) {
      List<Link> open = store.links().openLinks(j.id(), afterId, j.settings().pageSize());
      if (open.isEmpty()) {
        return;
      }
      afterId = open.get(open.size() - 1).id();
      Map<String, Link> byOpen311Id = new HashMap<>();
      open.forEach(l -> l.open311Id().ifPresent(id -> byOpen311Id.put(id, l)));
      List<Report> current = j.open311().requestsById(List.copyOf(byOpen311Id.keySet()));
      // Most requests have not changed since the last look: only those with a newer version are
      // written, against the link as read with the page (a link changed since fails its
      // conditional update, and the page is read again next pass).
      List<Report> changed = current.stream().filter(r -> r.id().isPresent() && r.status().isPresent()
          && byOpen311Id.containsKey(r.id().get())
          && StatusRules.newer(Versions.of(r), byOpen311Id.get(r.id().get()).open311().version())).toList();
      if (changed.isEmpty()) {
        continue;
      }
      store.runInTransaction(tx -> {
        for (Report report : changed) {
          statusSeen(j, tx, byOpen311Id.get(report.id().get()), report.status().get(),
              Versions.of(report), count);
        }
      });
    }
  }

  private void statusSeen(Jurisdiction j, SyncState tx, Link link, Status status, String version,
      PassResult.Counter count) {
    if (!StatusRules.newer(version, link.open311().version())) {
      return;
    }
    boolean moves = StatusRules.moves(link.open311().status(), status);
    Link updated = link.withSide(Side.OPEN311,
        new SideState(moves ? Optional.of(status) : link.open311().status(), Optional.of(version)));
    // A status the CRM side has already is no news for the CRM. Above all it is what the CRM told
    // us, seen again: another node may have posted it and not yet recorded that it did.
    if (moves && StatusRules.moves(link.crm().status(), status)) {
      String key = "o311-" + link.open311Id().orElseThrow() + "-" + status.wireName() + "-" + version;
      enqueue(j, tx, link, new Work.UpdateCase(link.id(), key, Optional.empty(), Optional.of(status)), count);
    }
    LinkConflict.check(tx.links().update(updated.withComplete(Completion.isComplete(updated))), link);
  }

  private void readUpdates(Jurisdiction j, PassResult.Counter count) {
    String cursorName = "open311-updates:" + j.id();
    Instant from = store.cursors().get(cursorName)
        .map(c -> Instant.ofEpochMilli(Long.parseLong(c.value())).minus(j.settings().overlap()))
        .orElse(j.settings().backfillFrom());
    Instant now = clock.instant();
    Optional<List<ReportUpdate>> updates = j.open311().updatesBetween(
        OffsetDateTime.ofInstant(from, ZoneOffset.UTC), OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
    if (updates.isEmpty()) {
      return;
    }
    store.runInTransaction(tx -> {
      for (ReportUpdate update : updates.get()) {
        if (update.updateId().isEmpty()) {
          continue;
        }
        if (tx.seen().contains(j.id(), Side.OPEN311, update.updateId().get())) {
          count.echoesDropped++;
          continue;
        }
        Optional<Link> link = update.fixMyStreetId().flatMap(f -> tx.links().findByFixMyStreetId(j.id(), f))
            .or(() -> update.serviceRequestId().flatMap(id -> tx.links().findByOpen311Id(j.id(), id)));
        if (link.isEmpty()) {
          continue;
        }
        receive(j, tx, link.get(), update, now, count);
      }
      tx.cursors().put(cursorName, Long.toString(now.toEpochMilli()));
    });
  }

  /**
   * One update from the Open311 side, for a linked report, reaches the CRM: its status moves the
   * link's Open311 side, and a note or status change is journalled and queued for the CRM under
   * a key made from its update id, so the same update received twice is queued once. Used for the
   * feed read in poll mode and for {@code POST servicerequestupdates} in serve mode.
   *
   * @return false when the update says nothing new (no state change, no note)
   */
  static boolean receive(Jurisdiction j, SyncState tx, Link current, ReportUpdate update,
      Instant now, PassResult.Counter count) {
    Optional<Status> status = update.status().filter(Status::changesState)
        .filter(s -> StatusRules.moves(current.open311().status(), s))
        .filter(s -> StatusRules.newer(Versions.of(update), current.open311().version()));
    Optional<String> note = update.description().filter(d -> !d.isBlank());
    if (status.isEmpty() && note.isEmpty()) {
      return false;
    }
    String key = "o311u-" + update.updateId().get();
    if (status.isPresent()) {
      Link updated = current.withSide(Side.OPEN311,
          new SideState(status, Optional.of(Versions.of(update))));
      LinkConflict.check(tx.links().update(updated.withComplete(Completion.isComplete(updated))), current);
    }
    tx.journal().append(new NewJournalEntry(j.id(), Side.CRM, key, current.id(),
        update.updated().map(OffsetDateTime::toInstant).orElse(now), Payloads.write(update)));
    enqueue(j, tx, current, new Work.UpdateCase(current.id(), key, note, status), count);
    return true;
  }

  private static void enqueue(Jurisdiction j, SyncState tx, Link link, Work.UpdateCase work,
      PassResult.Counter count) {
    if (j.updates().isEmpty()) {
      return;
    }
    if (tx.outbox().enqueue(NewWorkItem.now(j.id(), Work.UPDATE_CASE, work.updateId(),
        Payloads.write(work)))) {
      // Ours before it is applied, so the CRM feed's echo is dropped whichever node reads it.
      tx.seen().record(j.id(), Side.CRM, work.updateId());
      count.updatesForCrm++;
    }
  }
}
