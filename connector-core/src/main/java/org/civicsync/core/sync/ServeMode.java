package org.civicsync.core.sync;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.civicsync.core.mapping.MappedStatus;
import org.civicsync.core.model.Attributes;
import org.civicsync.core.model.Contact;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.model.Service;
import org.civicsync.core.model.Status;
import org.civicsync.core.spi.CaseDetails;
import org.civicsync.core.spi.CrmChange;
import org.civicsync.core.spi.ServiceCatalogue;
import org.civicsync.core.store.Claim;
import org.civicsync.core.store.GroupCommit;
import org.civicsync.core.store.JournalEntry;
import org.civicsync.core.store.Link;
import org.civicsync.core.store.LinkInsert;
import org.civicsync.core.store.NewLink;
import org.civicsync.core.store.NewWorkItem;
import org.civicsync.core.store.OutboxItem;
import org.civicsync.core.store.ServedQuery;
import org.civicsync.core.store.ServedRequest;
import org.civicsync.core.store.ServedRequests;
import org.civicsync.core.store.Receipt;
import org.civicsync.core.store.ReceiptLog;
import org.civicsync.core.store.Side;
import org.civicsync.core.store.SideState;
import org.civicsync.core.store.SyncState;
import org.civicsync.core.store.SyncStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serve mode's engine room: what the council's Open311 endpoint needs from the store and the CRM,
 * on the engine's own links, outbox and journal, so a report received here is worked exactly like
 * one polled in.
 *
 * <p>A received report becomes a link keyed by an idempotency key (FixMyStreet's report id, or a
 * hash of the report) plus a "create the case" item. In queued mode it is first kept as a receipt
 * (durable before the method returns) that {@link #drain} turns into the link and item in large
 * batches; a resend finds the receipt or the link and creates nothing. Receipts go to the store's
 * {@link SyncStore#receiptLog() receipt log} when it has one (H2 file), else to its receipt table
 * (PostgreSQL, shared by nodes); see {@link Intake}. Concurrent receives share one durable write
 * ({@link GroupCommit}); each still returns only after its own work is durable. {@link #work(String)} is the background pump (receipts drained, outbox, then CRM
 * changes into the journal), run on a schedule by the host.
 *
 * <p>What {@code GET requests} lists is kept in the {@code served_request} table: a row per
 * received report (written with its link, so a queued report is listed once drained) and per case
 * raised in the CRM whose type maps to a service (adopted from the change feed by {@link #work});
 * see {@link #servedRequests}.
 */
public final class ServeMode {
  private static final Logger log = LoggerFactory.getLogger(ServeMode.class);
  private static final String CREATE = "create:";
  private static final int CACHE_LIMIT = 200_000;
  /** Receipts drained per transaction. */
  private static final int DRAIN_BATCH = 500;
  /** How long a shared commit waits for more concurrent receives (see {@link GroupCommit}). */
  private static final java.time.Duration GATHER = java.time.Duration.ofNanos(300_000);
  /** Links given their missing served row per transaction (see {@link #backfill}). */
  static final int BACKFILL_BATCH = 500;
  /** Backfill transactions per round of {@link #work}, so that a round never runs long. */
  static final int BACKFILL_BATCHES = 4;

  private final SyncStore store;
  private final Clock clock;
  private final String owner;
  private final Map<String, Jurisdiction> jurisdictions;
  private final OutboxWorker worker;
  private final CrmChangeReader crmChanges;
  /** Received reports and updates share durable commits with concurrent ones. */
  private final GroupCommit<SyncState> writes;
  /** Where queued reports wait to be drained: the store's receipt log, else its table. */
  private final Intake intake;
  /** Link id to CRM id: set once, never changed, so safe to remember. */
  private final Map<Long, String> crmIds = new ConcurrentHashMap<>();
  /** The journal's updates for FixMyStreet, in memory: see {@link #updatesBetween}. */
  private final JournalIndex updates;
  /** Per jurisdiction, the last link id the backfill has looked at. */
  private final Map<String, Long> backfillReached = new ConcurrentHashMap<>();
  /** Jurisdictions whose backfill found nothing left: no later round looks again. */
  private final Set<String> backfilled = ConcurrentHashMap.newKeySet();

  private ServeMode(SyncStore store, Clock clock, String owner, List<Jurisdiction> list,
      int indexCapacity) {
    this.store = store;
    this.clock = clock;
    this.owner = owner;
    Map<String, Jurisdiction> byId = new LinkedHashMap<>();
    for (Jurisdiction j : list) {
      if (byId.putIfAbsent(j.id(), j) != null) {
        throw new IllegalArgumentException("jurisdiction " + j.id() + " registered twice");
      }
    }
    this.jurisdictions = java.util.Collections.unmodifiableMap(byId);
    this.worker = new OutboxWorker(store, clock, owner);
    this.crmChanges = new CrmChangeReader(store, Optional.of(this::adopt));
    this.writes = new GroupCommit<>(store::inTransaction, GATHER);
    this.intake = store.receiptLog().<Intake>map(log -> new LogIntake(store, log, byId.values()))
        .orElseGet(() -> new TableIntake(store, writes));
    this.updates = new JournalIndex(store.journal(), byId.keySet(), System::nanoTime,
        this::servedUpdate, indexCapacity);
  }

  /** @param owner this node's name in outbox claims; unique per running server */
  public static ServeMode create(SyncStore store, Clock clock, String owner,
      List<Jurisdiction> jurisdictions) {
    return create(store, clock, owner, jurisdictions, JournalIndex.CAPACITY);
  }

  /** With room for {@code indexCapacity} journal entries in memory (tests use a small one). */
  static ServeMode create(SyncStore store, Clock clock, String owner,
      List<Jurisdiction> jurisdictions, int indexCapacity) {
    Objects.requireNonNull(store, "store == null");
    Objects.requireNonNull(clock, "clock == null");
    Objects.requireNonNull(owner, "owner == null");
    Objects.requireNonNull(jurisdictions, "jurisdictions == null");
    if (jurisdictions.isEmpty()) {
      throw new IllegalArgumentException("serve mode needs at least one jurisdiction");
    }
    return new ServeMode(store, clock, owner, jurisdictions, indexCapacity);
  }

  public Map<String, Jurisdiction> jurisdictions() {
    return jurisdictions;
  }

  /**
   * What became of a received report: its link once it has one (a queued report is first kept as a
   * receipt, see {@link #receive}), whether this call received it first, and the CRM id once the
   * case exists.
   */
  public record Received(Optional<Link> link, boolean isNew, Optional<String> crmId) {
    public Received {
      Objects.requireNonNull(link, "link == null");
      Objects.requireNonNull(crmId, "crmId == null");
    }
  }

  /**
   * Records a report durably unless its key was seen before.
   *
   * <p>Queued ({@code createNow} false): the report is kept as a receipt and the call returns once
   * that is durable; {@link #drain} later turns receipts into links and "create the case" work in
   * large batches. On an H2 file store a receipt is an append to the receipt log, shared with
   * concurrent receives; a link with its work item is nine B-trees rewritten by an H2 commit,
   * which is what limited the POST rate.
   *
   * <p>Realtime ({@code createNow} true): the link and its work item are written at once (taking
   * over a receipt of the same key if a queued receive left one), and the case is created in the
   * CRM before returning, when this call is the one holding its work item.
   */
  public Received receive(String jurisdiction, String key, Report report, boolean createNow) {
    Jurisdiction j = jurisdiction(jurisdiction);
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(report, "report == null");
    Report keyed = report.toBuilder().id(key).build();
    if (!createNow) {
      return intake.keep(j, key, Versions.of(keyed), keyed.fixMyStreetId(),
          Payloads.write(keyed));
    }
    record Step(LinkInsert insert, Optional<Claim> claim) {}
    List<Receipt> taken = new ArrayList<>(1);
    Step step = writes.run(tx -> {
      taken.clear(); // run again alone if the shared commit failed
      LinkInsert insert = intake.pending(tx, j, key)
          .flatMap(pending -> drainOne(tx, j, pending, taken))
          .orElseGet(() -> admit(tx, j, key, keyed));
      Optional<Claim> claim = Optional.empty();
      if (insert.link().crmId().isEmpty()) {
        claim = claimCreate(j, tx, key);
      }
      return new Step(insert, claim);
    });
    intake.drained(taken);
    Link link = step.insert().link();
    if (step.claim().isPresent()) {
      worker.work(j, List.of(step.claim().get()), new PassResult.Counter(j.id()));
      link = store.links().find(link.id()).orElseThrow();
    }
    return new Received(Optional.of(link), step.insert().inserted(), link.crmId());
  }

  /** The link and its "create the case" item, unless the key has a link already. */
  private LinkInsert admit(SyncState tx, Jurisdiction j, String key, Report keyed) {
    return admit(tx, j, key, Versions.of(keyed), keyed.fixMyStreetId(),
        linkId -> Payloads.write(new Work.CreateCase(linkId, keyed)), () -> keyed);
  }

  /**
   * With the link, its "create the case" item and its {@code served_request} row (for which the
   * report is read only when the link is new).
   */
  private LinkInsert admit(SyncState tx, Jurisdiction j, String key, String version,
      Optional<String> fixMyStreetId, java.util.function.LongFunction<String> createCase,
      java.util.function.Supplier<Report> report) {
    NewLink link = NewLink.forOpen311(j.id(), key)
        .withSide(Side.OPEN311, SideState.of(Status.OPEN, version));
    if (fixMyStreetId.isPresent()) {
      link = link.withFixMyStreetId(fixMyStreetId.get());
    }
    intake.linking(j, key);
    LinkInsert insert = tx.links().insertIfAbsentByOpen311Id(link);
    if (insert.inserted()) {
      tx.outbox().enqueue(NewWorkItem.now(j.id(), Work.CREATE_CASE, CREATE + key,
          createCase.apply(insert.link().id())));
      tx.served().record(served(j, insert.link(), insert.link().created(), report.get(), false));
    }
    return insert;
  }

  /**
   * Turns one receipt into its link and work, taking it out of the intake in the same transaction
   * (see {@link Intake#take}); {@code taken} collects it for {@link Intake#drained} once the
   * transaction has committed.
   *
   * @return the existing link if another drainer took the receipt
   */
  private Optional<LinkInsert> drainOne(SyncState tx, Jurisdiction j, Receipt receipt,
      List<Receipt> taken) {
    taken.add(receipt);
    if (!intake.take(tx, receipt)) {
      return tx.links().findByOpen311Id(j.id(), receipt.key()).map(l -> new LinkInsert(l, false));
    }
    // The receipt's payload is the report as Payloads wrote it: wrapped as is, it is the item's
    // payload, the same text Payloads.write(new CreateCase(...)) gives, without a parse.
    return Optional.of(admit(tx, j, receipt.key(), receipt.version(), receipt.fixMyStreetId(),
        linkId -> "{\"linkId\":" + linkId + ",\"report\":" + receipt.payload() + "}",
        () -> Payloads.read(receipt.payload(), Report.class)));
  }

  /**
   * Turns every pending receipt of a jurisdiction into its link and "create the case" work, up to
   * {@link #DRAIN_BATCH} per transaction; {@link #work} starts with it, so receipts left by a
   * crash are drained on the first round after a restart. Safe to run concurrently with receives
   * and with other drainers.
   *
   * @return how many links this call created
   */
  public int drain(String jurisdiction) {
    return drain(jurisdiction(jurisdiction));
  }

  /** Drains batches until one is not full. */
  private int drain(Jurisdiction j) {
    int drained = 0;
    while (true) {
      List<Receipt> batch = intake.oldest(j, DRAIN_BATCH);
      if (batch.isEmpty()) {
        return drained;
      }
      List<Receipt> taken = new ArrayList<>(batch.size());
      drained += store.inTransaction(tx -> {
        int n = 0;
        for (Receipt r : batch) {
          n += drainOne(tx, j, r, taken).filter(LinkInsert::inserted).isPresent() ? 1 : 0;
        }
        return n;
      });
      intake.drained(taken);
      if (batch.size() < DRAIN_BATCH) {
        return drained;
      }
    }
  }

  /** The link of {@code key}, draining its receipt (into {@code taken}) if not drained yet. */
  private Optional<Link> linkOrDrain(SyncState tx, Jurisdiction j, String key,
      List<Receipt> taken) {
    return tx.links().findByOpen311Id(j.id(), key)
        .or(() -> intake.pending(tx, j, key)
            .flatMap(r -> drainOne(tx, j, r, taken)).map(LinkInsert::link));
  }

  /** Receipts of a jurisdiction not drained yet, counted up to {@code limit}. */
  int pendingUpTo(String jurisdiction, int limit) {
    return intake.oldest(jurisdiction(jurisdiction), limit).size();
  }

  /**
   * How many received reports and updates were made durable, in how many durable writes: store
   * commits shared by concurrent receives, plus shared appends to the receipt log if there is one.
   */
  public WriteStats writeStats() {
    long units = writes.units();
    long commits = writes.commits();
    Optional<ReceiptLog.GroupStats> log = store.receiptLog().map(ReceiptLog::stats);
    if (log.isPresent()) {
      units += log.get().appends();
      commits += log.get().writes();
    }
    return new WriteStats(units, commits);
  }

  /** Received writes and the durable writes they took; {@code writes / commits} is the batch. */
  public record WriteStats(long writes, long commits) {}

  /** Queued reports of a jurisdiction answered and not yet drained into links, if cheap to know. */
  public OptionalInt undrained(String jurisdiction) {
    return intake.backlog(jurisdiction(jurisdiction));
  }

  private Optional<Claim> claimCreate(Jurisdiction j, SyncState tx, String key) {
    return tx.outbox().findByKey(j.id(), CREATE + key)
        .flatMap(item -> tx.outbox().claimItem(item.id(), owner, clock.instant(),
            j.settings().claimTtl()));
  }

  /**
   * The link received under {@code key} (a token in queued mode); a report still kept as a receipt
   * is drained now, so its link exists from here on.
   */
  public Optional<Link> findByKey(String jurisdiction, String key) {
    Jurisdiction j = jurisdiction(jurisdiction);
    Objects.requireNonNull(key, "key == null");
    Optional<Link> link = store.links().findByOpen311Id(j.id(), key);
    if (link.isPresent() || intake.pending(store, j, key).isEmpty()) {
      return link;
    }
    List<Receipt> taken = new ArrayList<>(1);
    link = writes.run(tx -> {
      taken.clear(); // run again alone if the shared commit failed
      return linkOrDrain(tx, j, key, taken);
    });
    intake.drained(taken);
    return link;
  }

  /** The link of the case FixMyStreet knows as {@code serviceRequestId} (the CRM id). */
  public Optional<Link> findByServedId(String jurisdiction, String serviceRequestId) {
    Jurisdiction j = jurisdiction(jurisdiction);
    return store.links().findByCrmId(j.id(), serviceRequestId)
        .or(() -> store.links().findByOpen311Id(j.id(), serviceRequestId));
  }

  /** The report as it was received for a link, without its served id and status. */
  public Optional<Report> receivedReport(Link link) {
    Objects.requireNonNull(link, "link == null");
    return link.open311Id()
        .flatMap(key -> store.outbox().findByKey(link.jurisdiction(), CREATE + key))
        .map(item -> Payloads.read(item.payload(), Work.CreateCase.class).report());
  }

  /**
   * The journal's updates for FixMyStreet with {@code start <= updated_datetime <= end}, oldest
   * first, at most {@code limit}, each naming the case by the id FixMyStreet was given (the CRM id).
   * The journal's entries are taken by their updated column ({@code start <= updated <= end}, the
   * first {@code limit}) and then checked against the update's own updated time.
   *
   * <p>Answered from memory ({@link JournalIndex}) but for windows reaching back before what it
   * holds. Entries this node journalled before the call are always included; another node's
   * within {@link JournalIndex#MAX_AGE} of their commit (at most {@link JournalIndex#STALE_LIMIT}
   * while a refresh is under way).
   */
  public List<ReportUpdate> updatesBetween(String jurisdiction, Instant start, Instant end,
      int limit) {
    Jurisdiction j = jurisdiction(jurisdiction);
    Objects.requireNonNull(start, "start == null");
    Objects.requireNonNull(end, "end == null");
    return updates.window(j.id(), start, end, limit)
        .orElseGet(() -> journalWindow(j, start, end, limit));
  }

  /** {@link #updatesBetween} from the store, for windows before what memory holds. */
  private List<ReportUpdate> journalWindow(Jurisdiction j, Instant start, Instant end,
      int limit) {
    List<JournalEntry> entries = store.journal().window(j.id(), Side.OPEN311, start, end, limit);
    List<ReportUpdate> found = new ArrayList<>(entries.size());
    for (JournalEntry e : entries) {
      ReportUpdate update = servedUpdate(e.linkId(), e.payload());
      Instant at = update.updated().map(t -> t.toInstant()).orElse(e.updated());
      if (!at.isBefore(start) && !at.isAfter(end)) {
        found.add(update);
      }
    }
    return found;
  }

  /** A journalled update for FixMyStreet as served: naming its case by the CRM id if it has one. */
  private ReportUpdate servedUpdate(long linkId, String payload) {
    ReportUpdate update = Payloads.read(payload, Work.DeliverUpdate.class).update();
    Optional<String> crmId = crmId(linkId);
    return crmId.isEmpty() ? update : update.toBuilder().serviceRequestId(crmId.get()).build();
  }

  private Optional<String> crmId(long linkId) {
    String known = crmIds.get(linkId);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<String> crmId = store.links().find(linkId).flatMap(Link::crmId);
    crmId.ifPresent(id -> {
      if (crmIds.size() >= CACHE_LIMIT) {
        crmIds.clear();
      }
      crmIds.put(linkId, id);
    });
    return crmId;
  }

  /**
   * The reports of a window of {@code GET requests}, as served: see {@link #asServed}. Non-public
   * ones and those without a CRM id yet are never listed.
   */
  public List<Report> servedRequests(ServedQuery query) {
    Objects.requireNonNull(query, "query == null");
    Jurisdiction j = jurisdiction(query.jurisdiction());
    List<ServedRequests.Served> rows = store.served().window(query);
    List<Report> reports = new ArrayList<>(rows.size());
    for (ServedRequests.Served row : rows) {
      reports.add(asServed(j, row.request(), row.link()));
    }
    return reports;
  }

  /**
   * The report FixMyStreet knows as {@code servedId} (the CRM id), received here or raised in the
   * CRM, with {@link Report#nonPublic()} as recorded: the caller decides what a non-public one
   * shows. Empty when no case has that id yet.
   */
  public Optional<Report> servedReport(String jurisdiction, String servedId) {
    Jurisdiction j = jurisdiction(jurisdiction);
    Optional<Link> found = findByServedId(j.id(), servedId).filter(l -> l.crmId().isPresent());
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Link link = found.get();
    Optional<ServedRequest> row = store.served().find(link.id());
    if (row.isPresent()) {
      return Optional.of(asServed(j, row.get(), link));
    }
    // Received before the served_request table existed and not backfilled (yet): served from
    // the create-case work.
    return receivedReport(link).map(r -> asServed(j, served(j, link, link.created(), r, false),
        link));
  }

  /** The CRM id, the link's current status (the CRM's, else Open311's) and times; no contact. */
  private Report asServed(Jurisdiction j, ServedRequest row, Link link) {
    Status status = link.crm().status().or(() -> link.open311().status()).orElse(Status.OPEN);
    return Payloads.read(row.payload(), Report.class).toBuilder()
        .id(link.crmId().orElseThrow())
        .status(status)
        .requested(j.mapping().open311Time(row.requested()))
        .updated(j.mapping().open311Time(link.updated()))
        .nonPublic(row.nonPublic())
        .build();
  }

  private static ServedRequest served(Jurisdiction j, Link link, Instant requested, Report report,
      boolean crmOriginated) {
    return new ServedRequest(link.id(), j.id(), requested, report.serviceCode(),
        report.nonPublic(), crmOriginated, Payloads.write(publicPart(report)));
  }

  /** What may be shown to anyone: no contact, no attributes (they may hold personal data). */
  static Report publicPart(Report r) {
    return new Report(Optional.empty(), r.serviceCode(), r.serviceName(), Optional.empty(),
        r.statusNotes(), r.title(), r.description(), r.agencyResponsible(), r.serviceNotice(),
        r.requested(), Optional.empty(), r.expected(), r.location(), Contact.NONE, r.mediaUrls(),
        Attributes.EMPTY, Map.of(), r.nonPublic());
  }

  /**
   * A case raised in the CRM (not from Open311) whose case type maps to an Open311 service becomes
   * a link with no Open311 report, served on {@code GET requests} under its CRM id and followed
   * like any other. Its particulars (location, description) come from {@link CaseDetails} when
   * the CRM offers it; that call runs in the page's transaction, so a failure rolls the page back
   * and the page is read again on the next pass. Types the mapping does not know are not served,
   * nor cases with an external reference (made from an Open311 report).
   */
  private Optional<Link> adopt(Jurisdiction j, SyncState tx, CrmChange change) {
    // A case with an external reference was created from a report (ours, or one whose link is
    // still being recorded by a concurrent create): adopting it would take its CRM id.
    if (change.crmCase().externalReference().isPresent()) {
      return Optional.empty();
    }
    Optional<String> code = j.mapping().serviceCode(change.crmCase().caseType());
    if (code.isEmpty()) {
      return Optional.empty();
    }
    MappedStatus mapped =
        j.mapping().statuses().fromCrm(change.crmCase().statusCode(), change.caseId());
    Status status = mapped.status()
        .orElse(change.crmCase().closed() ? Status.CLOSED : Status.OPEN);
    NewLink link = NewLink.forCrm(j.id(), change.caseId()).withSide(Side.CRM,
        new SideState(Optional.of(status), Optional.of(Long.toString(change.version()))));
    LinkInsert insert = tx.links().insertIfAbsentByCrmId(link);
    if (insert.inserted()) {
      Report details = j.crm().capability(CaseDetails.class)
          .flatMap(d -> j.crmGuard().callOnce(() -> d.details(change.caseId())))
          .orElseGet(() -> Report.builder().build());
      Instant requested = details.requested().map(OffsetDateTime::toInstant)
          .orElse(change.modified());
      Report report = details.toBuilder().serviceCode(code.get()).build();
      tx.served().record(served(j, insert.link(), requested, report, true));
    }
    return Optional.of(insert.link());
  }

  /**
   * The jurisdiction's services from its CRM's {@link ServiceCatalogue}, with the Open311 codes
   * the mapping gives (case types it does not map are not offered), or empty when the CRM has no
   * catalogue. Whole or not at all: a CRM failure is thrown, never answered as a shorter list,
   * because FixMyStreet deletes the categories a list leaves out.
   *
   * @throws IllegalStateException when no CRM case type maps to a service: an empty list would
   *     delete every category
   */
  public Optional<List<Service>> crmServices(String jurisdiction) {
    Jurisdiction j = jurisdiction(jurisdiction);
    Optional<ServiceCatalogue> catalogue = j.crm().capability(ServiceCatalogue.class);
    if (catalogue.isEmpty()) {
      return Optional.empty();
    }
    List<Service> types = j.crmGuard().callOnce(() -> catalogue.get().services());
    List<Service> services = new ArrayList<>();
    for (Service t : types) {
      j.mapping().serviceCode(t.code()).ifPresent(code -> services.add(new Service(code, t.name(),
          t.description(), t.metadata(), t.type(), t.keywords(), t.groups())));
    }
    if (services.isEmpty()) {
      throw new IllegalStateException("jurisdiction " + j.id() + ": none of the CRM's "
          + types.size() + " case types maps to an Open311 service");
    }
    return Optional.of(List.copyOf(services));
  }

  /**
   * An update from FixMyStreet (a citizen's comment, a "fixed") for the CRM, recorded durably and
   * queued; resending the same update id queues nothing more.
   *
   * @return the link it was recorded against, or empty when no case has that id
   */
  public Optional<Link> receiveUpdate(String jurisdiction, ReportUpdate update) {
    Jurisdiction j = jurisdiction(jurisdiction);
    Objects.requireNonNull(update, "update == null");
    String id = update.serviceRequestId()
        .orElseThrow(() -> new IllegalArgumentException("service_request_id: required"));
    update.updateId().orElseThrow(() -> new IllegalArgumentException("update_id: required"));
    List<Receipt> taken = new ArrayList<>(1);
    Optional<Link> recorded = writes.run(tx -> {
      taken.clear(); // run again alone if the shared commit failed
      // A queued report's token names it before it is drained: drain it now to record against.
      Optional<Link> link = tx.links().findByCrmId(j.id(), id)
          .or(() -> linkOrDrain(tx, j, id, taken));
      link.ifPresent(l -> Open311ChangeReader.receive(j, tx, l, update, clock.instant(),
          new PassResult.Counter(j.id())));
      return link;
    });
    intake.drained(taken);
    return recorded;
  }

  /**
   * One round of background work for a jurisdiction: receipts drained, a bounded step of the
   * {@link #backfill}, queued cases created, updates applied to the CRM, CRM changes read into the
   * journal. Safe on several nodes at once (outbox claims), but the CRM change feed
   * should be read by one (its cursor is shared).
   */
  public PassResult work(String jurisdiction) {
    Jurisdiction j = jurisdiction(jurisdiction);
    PassResult.Counter count = new PassResult.Counter(j.id());
    count.linksCreated += drain(j);
    backfill(j);
    worker.run(j, count);
    try {
      crmChanges.run(j, count);
    } finally {
      // Pages committed before a failure are journalled too.
      updates.changed();
    }
    updates.catchUp();
    worker.run(j, count);
    return count.result();
  }

  /**
   * Gives the reports received before the {@code served_request} table existed (migration V3)
   * their row, so that {@code GET requests} lists them by window as it serves them by id (see
   * {@link #servedReport}). The row is what {@link #admit} would have written: the public part of
   * the report in the link's "create the case" work, requested when the link was created.
   *
   * <p>Run from {@link #work} rather than at start, so that a large store opens at once and a
   * failure is retried by the next round instead of stopping the server: at most
   * {@link #BACKFILL_BATCHES} transactions of {@link #BACKFILL_BATCH} links per round, carrying on
   * from the link id reached in the round before. It comes before the round's CRM work, which it
   * does not need, so a CRM that is down (and fails the round) does not hold it up. Links received
   * since V3 get their row in the transaction that creates them, so once a page comes back short
   * nothing is left to do, and no later round of this process queries again. Several nodes may
   * backfill at once: recording a row is a no-op where one exists.
   *
   * <p>A link whose work item is missing or unreadable is passed over with a warning naming the
   * link id only (the item holds the reporter's contact), and stays served by id alone.
   */
  private void backfill(Jurisdiction j) {
    if (backfilled.contains(j.id())) {
      return;
    }
    for (int batch = 0; batch < BACKFILL_BATCHES; batch++) {
      long after = backfillReached.getOrDefault(j.id(), 0L);
      Backfilled step = store.inTransaction(tx -> backfill(tx, j, after));
      backfillReached.put(j.id(), step.reached());
      if (step.links() < BACKFILL_BATCH) {
        backfilled.add(j.id());
        return;
      }
    }
  }

  /** One backfill transaction: how many links it looked at, and the last one's id. */
  private record Backfilled(int links, long reached) {}

  private Backfilled backfill(SyncState tx, Jurisdiction j, long after) {
    List<Link> links = tx.served().unserved(j.id(), after, BACKFILL_BATCH);
    int skipped = 0;
    for (Link link : links) {
      Optional<Report> report = createdReport(tx, link);
      if (report.isPresent()) {
        tx.served().record(served(j, link, link.created(), report.get(), false));
      } else {
        skipped++;
        log.warn("jurisdiction {}: link {} has no readable create-case work; its report is served"
            + " by id but not listed by window", j.id(), link.id());
      }
    }
    if (!links.isEmpty()) {
      log.info("jurisdiction {}: served rows backfilled for {} links received before V3, {}"
          + " passed over", j.id(), links.size() - skipped, skipped);
    }
    long reached = links.isEmpty() ? after : links.get(links.size() - 1).id();
    return new Backfilled(links.size(), reached);
  }

  /**
   * The report in a link's "create the case" work, or empty when there is none or it does not
   * read as one. Only the parse is guarded: a store failure still fails the transaction.
   */
  private static Optional<Report> createdReport(SyncState tx, Link link) {
    Optional<String> payload = link.open311Id()
        .flatMap(key -> tx.outbox().findByKey(link.jurisdiction(), CREATE + key))
        .map(OutboxItem::payload);
    if (payload.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(Payloads.read(payload.get(), Work.CreateCase.class))
          .map(Work.CreateCase::report);
    } catch (RuntimeException unreadable) {
      // Not logged: the parser's message may quote the payload, contact details and all.
      return Optional.empty();
    }
  }

  private Jurisdiction jurisdiction(String id) {
    Objects.requireNonNull(id, "jurisdiction == null");
    Jurisdiction j = jurisdictions.get(id);
    if (j == null) {
      throw new IllegalArgumentException("unknown jurisdiction " + id);
    }
    return j;
  }
}
