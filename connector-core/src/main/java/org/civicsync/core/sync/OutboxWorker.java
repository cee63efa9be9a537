package org.civicsync.core.sync;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.civicsync.core.mapping.JurisdictionMapping;
import org.civicsync.core.model.Redaction;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.model.Status;
import org.civicsync.core.resilience.RetryAdvice;
import org.civicsync.core.spi.AppliedUpdate;
import org.civicsync.core.spi.CaseUpdate;
import org.civicsync.core.spi.CreatedCase;
import org.civicsync.core.spi.CrmCase;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.NewCase;
import org.civicsync.core.store.Claim;
import org.civicsync.core.store.Link;
import org.civicsync.core.store.OutboxItem;
import org.civicsync.core.store.Side;
import org.civicsync.core.store.SideState;
import org.civicsync.core.store.SyncState;
import org.civicsync.core.store.SyncStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the remote calls the outbox holds, and records each outcome.
 *
 * <p>The order is always: call, then record. A crash between the two leaves the item IN_FLIGHT;
 * when its claim expires the store hands it out again as UNKNOWN, and a create is then settled by
 * finding the case by its external reference instead of creating it again. Updates carry a stable
 * update id that both sides dedupe, so resending them is safe.
 *
 * <p>The outcomes of a claimed batch are recorded together, in one transaction: a durable commit
 * costs far more than a row, so one per item capped the worker at a few hundred items a second.
 * A crash before that commit leaves the whole batch to be settled as above, which is the same
 * guarantee for more items. Should the batch's transaction fail, each outcome is recorded on its
 * own so one bad item does not hold back the rest.
 */
final class OutboxWorker {
  private static final Logger log = LoggerFactory.getLogger(OutboxWorker.class);

  private final SyncStore store;
  private final Clock clock;
  private final String owner;

  OutboxWorker(SyncStore store, Clock clock, String owner) {
    this.store = store;
    this.clock = clock;
    this.owner = owner;
  }

  /** What a call came to, to be written to the store; {@code counted} runs once it is. */
  private record Outcome(OutboxItem item, Consumer<SyncState> record, Runnable counted) {}

  /** Works through due items until none are left; returns how many were claimed. */
  int run(Jurisdiction j, PassResult.Counter count) {
    int claimed = 0;
    while (true) {
      List<Claim> claims = store.outbox().claim(j.id(), owner, j.settings().workBatch(),
          clock.instant(), j.settings().claimTtl());
      if (claims.isEmpty()) {
        return claimed;
      }
      claimed += claims.size();
      work(j, claims, count);
      count.tick();
    }
  }

  /** Makes the calls of items this worker has claimed already, and records their outcomes. */
  void work(Jurisdiction j, List<Claim> claims, PassResult.Counter count) {
    List<Outcome> outcomes = new ArrayList<>(claims.size());
    for (Claim claim : claims) {
      outcomes.add(work(j, claim, count));
    }
    record(j, outcomes, count);
  }

  private void record(Jurisdiction j, List<Outcome> outcomes, PassResult.Counter count) {
    try {
      store.runInTransaction(tx -> outcomes.forEach(o -> o.record().accept(tx)));
      outcomes.forEach(o -> o.counted().run());
      return;
    } catch (RuntimeException batchFailed) {
      log.debug("jurisdiction {}: recording {} outcomes together failed, one by one now: {}",
          j.id(), outcomes.size(), Redaction.toString(batchFailed));
    }
    for (Outcome o : outcomes) {
      try {
        store.runInTransaction(o.record());
        o.counted().run();
      } catch (RuntimeException e) {
        count.workFailed++;
        store.runInTransaction(tx -> failed(j, tx, o.item(), e));
      }
    }
  }

  private Outcome work(Jurisdiction j, Claim claim, PassResult.Counter count) {
    OutboxItem item = claim.item();
    try {
      return switch (item.kind()) {
        case Work.CREATE_CASE -> createCase(j, claim, Payloads.read(item.payload(), Work.CreateCase.class), count);
        case Work.UPDATE_CASE -> updateCase(j, item, Payloads.read(item.payload(), Work.UpdateCase.class), count);
        case Work.DELIVER_UPDATE -> deliver(j, item, Payloads.read(item.payload(), Work.DeliverUpdate.class), count);
        default -> throw new IllegalStateException("unknown work kind " + item.kind());
      };
    } catch (RuntimeException e) {
      return new Outcome(item, tx -> failed(j, tx, item, e), () -> count.workFailed++);
    }
  }

  private Outcome createCase(Jurisdiction j, Claim claim, Work.CreateCase work, PassResult.Counter count) {
    String externalReference = work.report().id().orElseThrow();
    OutboxItem item = claim.item();
    if (claim.needsSettling()) {
      // An earlier attempt may have created the case: look before creating.
      Optional<CrmCase> existing = j.crmGuard().callOnce(
          () -> j.lookup().findByExternalReference(externalReference));
      if (existing.isPresent()) {
        return new Outcome(item, tx -> recordCreated(j, tx, item, work.linkId(), existing.get().caseId(),
            existing.get().version(), existing.get().statusCode()), () -> { });
      }
    }
    JurisdictionMapping mapping = j.mapping();
    String serviceCode = work.report().serviceCode().orElse("");
    String caseType = mapping.caseType(serviceCode).orElse(serviceCode);
    NewCase newCase = new NewCase(item.idempotencyKey(), externalReference, caseType,
        mapping.crmFields(work.report().attributes()), work.report());
    CreatedCase created = j.crmGuard().callOnce(() -> j.creation().create(newCase));
    return new Outcome(item, tx -> recordCreated(j, tx, item, work.linkId(), created.caseId(),
        created.version(), null), () -> count.casesCreated++);
  }

  private void recordCreated(Jurisdiction j, SyncState tx, OutboxItem item, long linkId,
      String caseId, long version, String statusCode) {
    Optional<Status> status = statusCode == null ? Optional.of(Status.OPEN)
        : j.mapping().statuses().fromCrm(statusCode, caseId).status();
    // The poller may change the link's Open311 side meanwhile; failing here would retry the
    // item as PENDING, which creates again instead of settling.
    LinkConflict.update(tx, linkId, link -> Optional.of(link.withCrmId(caseId).withSide(Side.CRM,
        new SideState(status.or(() -> link.crm().status()), Optional.of(Long.toString(version))))));
    tx.outbox().markDone(item.id(), owner);
  }

  private Outcome updateCase(Jurisdiction j, OutboxItem item, Work.UpdateCase work, PassResult.Counter count) {
    Link link = store.links().find(work.linkId()).orElseThrow();
    if (link.crmId().isEmpty()) {
      throw new CaseNotCreatedYet(work.linkId());
    }
    String caseId = link.crmId().get();
    Optional<String> note = work.note();
    Optional<String> statusCode = Optional.empty();
    Optional<Status> closeReason = Optional.empty();
    if (work.status().isPresent()) {
      Status status = work.status().get();
      // A citizen's "fixed" is only a claim: it closes the case only where the council says so.
      boolean closes = status == Status.FIXED
          ? j.mapping().statuses().citizenFixedClosesCrmCase()
          : j.mapping().statuses().closesCrmCase(status);
      statusCode = j.mapping().statuses().toCrm(status);
      if (closes && status.isClosed()) {
        closeReason = Optional.of(status);
      } else if (statusCode.isEmpty()) {
        note = Optional.of(note.map(n -> n + "\n\n").orElse("") + "Status on Open311: " + status.wireName());
      }
    }
    CaseUpdate update = new CaseUpdate(caseId, work.updateId(), note, statusCode, closeReason);
    if (update.note().isEmpty() && update.statusCode().isEmpty() && update.closeReason().isEmpty()) {
      return new Outcome(item, tx -> tx.outbox().markDone(item.id(), owner), () -> { });
    }
    var updates = j.updates().orElseThrow(() -> new IllegalStateException(
        "CRM '" + j.crm().name() + "' takes no updates"));
    AppliedUpdate applied = j.crmGuard().callOnce(() -> updates.apply(update));
    Optional<Status> crmStatus = closeReason.isPresent() ? closeReason
        : statusCode.flatMap(code -> j.mapping().statuses().fromCrm(code, caseId).status());
    return new Outcome(item, tx -> {
      tx.seen().record(j.id(), Side.CRM, work.updateId());
      LinkConflict.update(tx, work.linkId(), current -> {
        SideState crm = current.crm();
        if (StatusRules.newer(Long.toString(applied.version()), crm.version())) {
          crm = new SideState(crmStatus.filter(s -> StatusRules.moves(current.crm().status(), s))
              .or(() -> current.crm().status()), Optional.of(Long.toString(applied.version())));
        }
        Link updated = current.withSide(Side.CRM, crm);
        return Optional.of(updated.withComplete(Completion.isComplete(updated)));
      });
      tx.outbox().markDone(item.id(), owner);
    }, () -> count.crmUpdatesApplied++);
  }

  private Outcome deliver(Jurisdiction j, OutboxItem item, Work.DeliverUpdate work, PassResult.Counter count) {
    ReportUpdate update = work.update();
    j.open311().postUpdate(update);
    return new Outcome(item, tx -> {
      tx.seen().record(j.id(), Side.OPEN311, update.updateId().orElseThrow());
      LinkConflict.update(tx, work.linkId(), current -> {
        Optional<Status> status = update.status().filter(s -> StatusRules.moves(current.open311().status(), s));
        if (status.isEmpty()) {
          return Optional.empty();
        }
        Link updated = current.withSide(Side.OPEN311, new SideState(status, current.open311().version()));
        return Optional.of(updated.withComplete(Completion.isComplete(updated)));
      });
      tx.outbox().markDone(item.id(), owner);
    }, () -> count.updatesDelivered++);
  }

  private void failed(Jurisdiction j, SyncState tx, OutboxItem item, RuntimeException e) {
    Instant next = clock.instant().plus(j.settings().backoff(item.attempts()));
    String error = describe(e);
    if (e instanceof CrmException crm && crm.kind() == CrmException.Kind.OUTCOME_UNKNOWN) {
      log.warn("jurisdiction {}: {} {} outcome unknown, will settle: {}", j.id(), item.kind(),
          item.idempotencyKey(), error);
      tx.outbox().markUnknown(item.id(), owner, error, next);
      return;
    }
    boolean retryable = e instanceof CaseNotCreatedYet
        || e instanceof org.civicsync.core.resilience.RemoteSystemUnavailableException
        || (e instanceof RetryAdvice advice && advice.isRetryable())
        || (e instanceof CrmException crm && (crm.kind() == CrmException.Kind.TRANSIENT
            || crm.kind() == CrmException.Kind.AUTHENTICATION));
    if (e instanceof CrmException crm) {
      next = crm.retryAfter().map(d -> clock.instant().plus(d)).orElse(next);
    }
    int maxAttempts = retryable ? j.settings().maxAttempts() : item.attempts();
    log.warn("jurisdiction {}: {} {} failed (attempt {}, {}): {}", j.id(), item.kind(),
        item.idempotencyKey(), item.attempts(), retryable ? "will retry" : "permanent", error);
    tx.outbox().markFailed(item.id(), owner, error, next, maxAttempts);
  }

  /**
   * The error as logged and stored ({@code last_error}): a CRM's or endpoint's message may echo
   * the citizen's e-mail or phone it refused, so those are masked.
   */
  private static String describe(RuntimeException e) {
    return Redaction.describe(e, 500);
  }

  /** An update for a case whose creation has not been recorded yet: try again later. */
  static final class CaseNotCreatedYet extends RuntimeException {
    CaseNotCreatedYet(long linkId) {
      super("link " + linkId + " has no CRM case yet");
    }
  }
}
