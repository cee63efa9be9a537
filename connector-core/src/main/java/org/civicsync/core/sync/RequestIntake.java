package org.civicsync.core.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.Status;
import org.civicsync.core.store.LinkInsert;
import org.civicsync.core.store.NewLink;
import org.civicsync.core.store.NewWorkItem;
import org.civicsync.core.store.Side;
import org.civicsync.core.store.SideState;
import org.civicsync.core.store.SyncStore;

/**
 * New Open311 requests become links and "create the case" work, exactly once.
 *
 * <p>{@code GET requests} filters on {@code requested_datetime}, so the cursor is the latest
 * requested time read, and each read starts {@code overlap} before it: a request that becomes
 * visible late (an endpoint's clock, a queued create) is still caught, and the link table's unique
 * key turns the overlap's repeats into nothing. Links and work items are written a page per
 * transaction, and the cursor after each window of at most {@link #WINDOW}.
 */
final class RequestIntake {
  /** The longest window read at once. */
  static final Duration WINDOW = Duration.ofDays(1);

  private final SyncStore store;
  private final Clock clock;

  RequestIntake(SyncStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  void run(Jurisdiction j, PassResult.Counter count) {
    String cursorName = "open311-requests:" + j.id();
    Instant from = store.cursors().get(cursorName)
        .map(c -> Instant.ofEpochMilli(Long.parseLong(c.value())).minus(j.settings().overlap()))
        .orElse(j.settings().backfillFrom());
    Instant now = clock.instant();
    // A backfill reads months: one window at a time, each recorded with the cursor before the
    // next is read, so memory holds a day's requests rather than all of them, and a pass cut
    // short keeps what it did.
    for (Instant start = from; start.isBefore(now); ) {
      Instant end = start.plus(WINDOW).isBefore(now) ? start.plus(WINDOW) : now;
      window(j, cursorName, start, end, count);
      start = end;
    }
  }

  private void window(Jurisdiction j, String cursorName, Instant from, Instant to,
      PassResult.Counter count) {
    List<Report> reports = j.open311().requestsBetween(
        OffsetDateTime.ofInstant(from, ZoneOffset.UTC), OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
    count.requestsSeen += reports.size();
    // The cursor may only pass what was read: the newest requested time, never "now", so a request
    // stamped in the past but published late is inside the next overlap.
    java.util.Optional<Instant> newest = reports.stream().flatMap(r -> r.requested().stream())
        .map(OffsetDateTime::toInstant).max(Instant::compareTo);
    for (int start = 0; start < reports.size(); start += j.settings().pageSize()) {
      List<Report> page = reports.subList(start, Math.min(reports.size(), start + j.settings().pageSize()));
      store.runInTransaction(tx -> {
        for (Report report : page) {
          if (report.id().isEmpty()) {
            continue;
          }
          String open311Id = report.id().get();
          NewLink link = NewLink.forOpen311(j.id(), open311Id)
              .withSide(Side.OPEN311, SideState.of(report.status().orElse(Status.OPEN),
                  Versions.of(report)));
          if (report.fixMyStreetId().isPresent()) {
            link = link.withFixMyStreetId(report.fixMyStreetId().get());
          }
          LinkInsert inserted = tx.links().insertIfAbsentByOpen311Id(link);
          if (inserted.inserted()) {
            count.linksCreated++;
            tx.outbox().enqueue(NewWorkItem.now(j.id(), Work.CREATE_CASE, "create:" + open311Id,
                Payloads.write(new Work.CreateCase(inserted.link().id(), report))));
          }
        }
      });
      count.tick();
    }
    Instant stored = store.cursors().get(cursorName)
        .map(c -> Instant.ofEpochMilli(Long.parseLong(c.value()))).orElse(Instant.EPOCH);
    if (newest.isPresent() && newest.get().isAfter(stored)) {
      store.cursors().put(cursorName, Long.toString(newest.get().toEpochMilli()));
    }
  }
}
