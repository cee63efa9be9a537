package org.civicsync.crm.open311;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import okhttp3.OkHttpClient;
import org.civicsync.core.model.Attributes;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.model.Service;
import org.civicsync.core.model.ServiceDefinition;
import org.civicsync.core.model.Status;
import org.civicsync.core.resilience.ResiliencePolicy;
import org.civicsync.core.spi.AppliedUpdate;
import org.civicsync.core.spi.CaseCreation;
import org.civicsync.core.spi.CaseLookup;
import org.civicsync.core.spi.CaseUpdate;
import org.civicsync.core.spi.CaseUpdates;
import org.civicsync.core.spi.ChangeCursor;
import org.civicsync.core.spi.ChangeFeed;
import org.civicsync.core.spi.ChangePage;
import org.civicsync.core.spi.CreatedCase;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmCapability;
import org.civicsync.core.spi.CrmCase;
import org.civicsync.core.spi.CrmChange;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmNote;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.core.spi.NewCase;
import org.civicsync.core.spi.ServiceCatalogue;
import org.civicsync.crm.feed.ChangePages;
import org.civicsync.crm.feed.KeysetPosition;
import org.civicsync.open311.CreatedRequest;
import org.civicsync.open311.client.Open311Client;
import org.civicsync.open311.client.RequestQuery;
import org.civicsync.crm.http.AdapterHttp;

/**
 * A back office that itself speaks GeoReport v2, reached through {@link Open311Client}: the
 * connector passes reports through to it and reads its changes back.
 *
 * <p><b>Create</b> is {@code POST requests} with the case type as {@code service_code}, the
 * mapped fields and the report's own attributes (FixMyStreet's {@code fixmystreet_id}, on which
 * open311-adapter back offices dedupe, passes through) plus
 * {@code attribute[<reference_attribute>]} holding the external reference. A queued back office
 * answers a {@code token}: it is asked once at once ({@code GET tokens/{token}}); while it has no
 * id the create is {@code OUTCOME_UNKNOWN} and the token is remembered (a cache, lost on restart)
 * so that the engine's settling lookup asks the token again.
 *
 * <p><b>Lookup</b> by external reference: a remembered token first, else {@code GET requests}
 * over {@code lookup_window} matched on the echoed reference attribute. Create looks first, so a
 * repeated create answers the existing request.
 *
 * <p><b>Change feed.</b> With the update extension: {@code GET servicerequestupdates} from the
 * cursor's time, keyset-paged on ({@code updated_datetime}, {@code update_id}), each page's
 * requests read back in batches for their type, reference and state; a note is an update with a
 * description. Without it: {@code GET requests} filters on {@code requested_datetime}, not on
 * changes, so the whole {@code feed_window} is re-read and filtered on {@code updated_datetime};
 * notes are not listed.
 *
 * <p><b>Updates</b> ({@link CaseUpdates}, only with the extension) are
 * {@code POST servicerequestupdates} with {@code update_id} = the engine's update id. A note
 * alone is sent as {@code UNCHANGED} (or the current status to a back office without extended
 * statuses).
 *
 * <p><b>Applied before</b> is decided on the ({@code service_request_id}, {@code update_id}) pair
 * being in the back office's updates feed within {@code lookup_window} (a crash after a POST
 * leaves it there for the next attempt, in this process or another), or having been POSTed by
 * this adapter instance. The feed is not read whole for every update: this instance keeps the
 * pairs it has seen ({@link SeenUpdates}). The first apply after start reads the whole
 * {@code lookup_window}; each later one reads from the time of the last read less
 * {@link SeenUpdates#OVERLAP} up to a second ahead of now, so an apply is three calls however
 * many updates the window holds. A POST is recorded at once, so that a retry here needs no read
 * to find it, but only a read moves the time the feed is known up to; after a POST that failed
 * (it may have been applied, and show later), the retry reads from below the failed POST's date.
 * A read that fails fails the apply: nothing is POSTed unchecked. Limits: an update older than
 * {@code lookup_window} is not found (as a search of the window would not find it), nor one
 * POSTed by another process that shows in the feed more than the overlap after the time it is
 * dated (a clock far off, a POST long in flight when that process stopped). Two threads applying
 * one update id at once (the engine's outbox claim prevents it) do not both check: the second
 * fails {@code TRANSIENT}.
 *
 * <p><b>Versions</b> are the epoch milliseconds of {@code updated_datetime}; a posted update is
 * dated at least a second after the request's last one so that versions grow.
 *
 * <p>The client is built to try each call once: the engine owns retries.
 */
public final class Open311Crm implements CrmAdapter, CaseCreation, CaseLookup, ChangeFeed,
    ServiceCatalogue {
  private static final int MAX_PAGE = 1000;
  private static final int MAX_PENDING_TOKENS = 10_000;
  /** Cursors of the updates feed: {@code o311u1:<instant>|<update_id>}. */
  private static final KeysetPosition.Format UPDATES = KeysetPosition.Format.isoInstant("o311u1:");
  /** Cursors of the requests feed: {@code o311r1:<instant>|<service_request_id>}. */
  private static final KeysetPosition.Format REQUESTS = KeysetPosition.Format.isoInstant("o311r1:");

  private final String name;
  private final Open311CrmSettings settings;
  private final Open311Client client;
  private final OkHttpClient http;
  private final Updates updates = new Updates();
  private final SeenUpdates seen;
  private final Map<String, String> pendingTokens = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > MAX_PENDING_TOKENS;
    }
  }; // guarded by itself

  private Open311Crm(String name, Open311CrmSettings settings, Open311Client client,
      OkHttpClient http) {
    this.name = name;
    this.settings = settings;
    this.client = client;
    this.http = http;
    this.seen = new SeenUpdates(settings.lookupWindow());
  }

  public static Open311Crm create(String name, Open311CrmSettings settings) {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(settings, "settings == null");
    // Our own pool and dispatcher, which the client derives from and close() releases.
    OkHttpClient http = new OkHttpClient();
    Open311Client.Builder b = Open311Client.builder(settings.endpoint())
        .httpClient(http)
        .format(settings.format())
        .extendedStatuses(settings.extendedStatuses())
        .connectTimeout(settings.connectTimeout())
        .readTimeout(settings.readTimeout())
        .clock(settings.clock())
        // One attempt per call and a breaker that stays out of the way: the engine retries.
        .resilience(ResiliencePolicy.builder().maxAttempts(1).failureRateThreshold(100)
            .minimumCalls(100).slidingWindowSize(100).build());
    settings.apiKey().ifPresent(b::apiKey);
    settings.jurisdictionId().ifPresent(b::jurisdictionId);
    return new Open311Crm(name, settings, b.build(), http);
  }

  @Override
  public String name() {
    return name;
  }

  /** {@link CaseUpdates} only when the back office has the update extension. */
  @Override
  public <T extends CrmCapability> Optional<T> capability(Class<T> type) {
    Objects.requireNonNull(type, "type == null");
    if (type == CaseUpdates.class) {
      return settings.updateExtension() ? Optional.of(type.cast(updates)) : Optional.empty();
    }
    return CrmAdapter.super.capability(type);
  }

  // ---- create and find ----

  @Override
  public CreatedCase create(NewCase newCase) {
    Objects.requireNonNull(newCase, "newCase == null");
    String reference = newCase.externalReference();
    UnaryOperator<CrmException.Builder> subject = b -> b.externalReference(reference);
    Optional<CrmCase> existing = findByExternalReference(reference);
    if (existing.isPresent()) {
      return new CreatedCase(existing.get().caseId(), existing.get().version(), true);
    }
    Attributes.Builder attributes = newCase.report().attributes().toBuilder();
    newCase.fields().forEach((field, values) -> values.forEach(v -> attributes.add(field, v)));
    attributes.set(settings.referenceAttribute(), reference);
    Report toSend = newCase.report().toBuilder().id(null).status(null)
        .serviceCode(newCase.caseType()).attributes(attributes.build()).build();
    if (!toSend.location().isSpecified()) {
      throw CrmException.of(CrmException.Kind.PERMANENT, name, CrmOperation.CREATE_CASE)
          .externalReference(reference)
          .detail("GeoReport v2 needs lat/long, address_string or address_id").build();
    }
    Report sending = toSend;
    CreatedRequest created = call(CrmOperation.CREATE_CASE, true, subject,
        () -> client.createRequest(sending));
    String id;
    if (created.serviceRequestId().isPresent()) {
      id = created.serviceRequestId().get();
    } else {
      String token = created.token().orElseThrow();
      Optional<String> assigned = call(CrmOperation.CREATE_CASE, false, subject,
          () -> client.token(token));
      if (assigned.isEmpty()) {
        synchronized (pendingTokens) {
          pendingTokens.put(reference, token);
        }
        throw subject.apply(CrmException.of(CrmException.Kind.OUTCOME_UNKNOWN, name,
            CrmOperation.CREATE_CASE)).detail("queued as token " + token
            + " without a service_request_id yet; settle by lookup").build();
      }
      id = assigned.get();
    }
    // The request exists now: a failed read-back must not make the engine create it again.
    long version;
    try {
      version = client.request(id).map(r -> toCase(r, r.status()).version()).orElse(0L);
    } catch (RuntimeException e) {
      version = 0L;
    }
    return new CreatedCase(id, version, false);
  }

  @Override
  public Optional<CrmCase> findByExternalReference(String externalReference) {
    Objects.requireNonNull(externalReference, "externalReference == null");
    UnaryOperator<CrmException.Builder> subject = b -> b.externalReference(externalReference);
    String token;
    synchronized (pendingTokens) {
      token = pendingTokens.get(externalReference);
    }
    if (token != null) {
      Optional<String> id = call(CrmOperation.FIND_CASE, false, subject, () -> client.token(token));
      if (id.isPresent()) {
        synchronized (pendingTokens) {
          pendingTokens.remove(externalReference);
        }
        return call(CrmOperation.FIND_CASE, false, subject, () -> client.request(id.get()))
            .map(r -> toCase(r, r.status()));
      }
    }
    OffsetDateTime now = now();
    List<Report> recent = call(CrmOperation.FIND_CASE, false, subject, () -> client.requests(
        RequestQuery.between(now.minus(settings.lookupWindow()), now)));
    return recent.stream()
        .filter(r -> reference(r).filter(externalReference::equals).isPresent())
        .min(Comparator.comparing((Report r) -> r.requested().map(OffsetDateTime::toInstant)
            .orElse(Instant.MAX)).thenComparing(r -> r.id().orElse("")))
        .map(r -> toCase(r, r.status()));
  }

  // ---- the change feed ----

  @Override
  public ChangePage changesSince(ChangeCursor cursor, int limit) {
    Objects.requireNonNull(cursor, "cursor == null");
    int size = ChangePages.size(limit, MAX_PAGE);
    KeysetPosition.Format own = settings.updateExtension() ? UPDATES : REQUESTS;
    KeysetPosition.Format other = settings.updateExtension() ? REQUESTS : UPDATES;
    // A cursor of the other feed (the extension was switched) keeps its time, not its id.
    KeysetPosition position = own.parse(cursor)
        .or(() -> other.parse(cursor).map(p -> KeysetPosition.from(p.modified())))
        .orElseThrow(() -> ChangePages.foreignCursor(name, cursor));
    return settings.updateExtension()
        ? updatesSince(position, cursor, size) : requestsSince(position, cursor, size);
  }

  @Override
  public ChangeCursor cursorAt(Instant time) {
    Objects.requireNonNull(time, "time == null");
    return (settings.updateExtension() ? UPDATES : REQUESTS).toCursor(KeysetPosition.from(time));
  }

  private ChangePage updatesSince(KeysetPosition position, ChangeCursor cursor, int size) {
    UnaryOperator<CrmException.Builder> subject = UnaryOperator.identity();
    OffsetDateTime start = utc(position.modified().truncatedTo(ChronoUnit.SECONDS));
    OffsetDateTime end = now().plusSeconds(1);
    List<ReportUpdate> all = call(CrmOperation.LIST_CHANGES, false, subject,
        () -> client.updates(start, end.isAfter(start) ? end : start));
    List<ReportUpdate> after = all.stream()
        .filter(u -> u.updateId().isPresent() && u.serviceRequestId().isPresent()
            && u.updated().isPresent())
        .filter(u -> isAfter(position, u.updated().get().toInstant(), u.updateId().get()))
        .sorted(Comparator.comparing((ReportUpdate u) -> u.updated().get().toInstant())
            .thenComparing(u -> u.updateId().get()))
        .toList();
    List<ReportUpdate> page = after.subList(0, Math.min(size, after.size()));
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(
        page.stream().map(u -> u.serviceRequestId().get()).toList()));
    Map<String, Report> requests = new HashMap<>();
    if (!ids.isEmpty()) {
      call(CrmOperation.LIST_CHANGES, false, subject, () -> client.requests(RequestQuery.ids(ids)))
          .forEach(r -> r.id().ifPresent(id -> requests.put(id, r)));
    }
    List<CrmChange> changes = new ArrayList<>();
    Map<String, Status> statusInPage = new HashMap<>();
    KeysetPosition last = null;
    for (ReportUpdate u : page) {
      String id = u.serviceRequestId().get();
      Optional<Report> request = Optional.ofNullable(requests.get(id));
      Optional<Status> status = u.status().filter(Status::changesState)
          .or(() -> Optional.ofNullable(statusInPage.get(id)))
          .or(() -> request.flatMap(Report::status));
      status.ifPresent(s -> statusInPage.put(id, s));
      Instant modified = u.updated().get().toInstant();
      CrmCase state = new CrmCase(id,
          request.flatMap(Report::serviceCode).or(u::serviceCode).orElse(""),
          request.flatMap(this::reference), status.map(Status::wireName).orElse(""),
          status.map(Status::isClosed).orElse(false), modified.toEpochMilli(), modified);
      Optional<CrmNote> note = u.description().filter(d -> !d.isBlank())
          .map(d -> new CrmNote(u.updateId().get(), d, modified, u.updateId()));
      changes.add(new CrmChange(modified, state, note, u.updateId()));
      last = new KeysetPosition(modified, u.updateId().get());
    }
    return new ChangePage(changes, last == null ? cursor : UPDATES.toCursor(last),
        after.size() > size);
  }

  private ChangePage requestsSince(KeysetPosition position, ChangeCursor cursor, int size) {
    OffsetDateTime now = now();
    List<Report> all = call(CrmOperation.LIST_CHANGES, false, UnaryOperator.identity(),
        () -> client.requests(RequestQuery.between(now.minus(settings.feedWindow()), now)));
    List<CrmCase> after = all.stream()
        .filter(r -> r.id().isPresent() && (r.updated().isPresent() || r.requested().isPresent()))
        .map(r -> toCase(r, r.status()))
        .filter(c -> isAfter(position, c.modified(), c.caseId()))
        .sorted(Comparator.comparing(CrmCase::modified).thenComparing(CrmCase::caseId))
        .toList();
    return ChangePages.of(after, size, c -> c, cursor, REQUESTS);
  }

  private static boolean isAfter(KeysetPosition position, Instant modified, String id) {
    int byTime = modified.compareTo(position.modified());
    return byTime > 0 || (byTime == 0 && (position.fromStart() || id.compareTo(position.id()) > 0));
  }

  // ---- services ----

  /** {@code GET services}: the whole list or a failure, never part of it. */
  @Override
  public List<Service> services() {
    return call(CrmOperation.DESCRIBE_SERVICES, false, UnaryOperator.identity(), client::services);
  }

  /** {@code GET services/{code}}, for a service whose {@code metadata} is true. */
  public ServiceDefinition serviceDefinition(String serviceCode) {
    Objects.requireNonNull(serviceCode, "serviceCode == null");
    return call(CrmOperation.DESCRIBE_SERVICES, false, UnaryOperator.identity(),
        () -> client.serviceDefinition(serviceCode));
  }

  @Override
  public void close() {
    AdapterHttp.release(http);
  }

  @Override
  public String toString() {
    return "Open311Crm[" + name + ", " + settings + "]";
  }

  // ---- support ----

  private CrmCase toCase(Report r, Optional<Status> status) {
    Instant modified = r.updated().or(r::requested).map(OffsetDateTime::toInstant)
        .orElseThrow(() -> new IllegalArgumentException(
            "request " + r.id().orElse("?") + " has neither updated_datetime nor requested_datetime"));
    return new CrmCase(r.id().orElseThrow(), r.serviceCode().orElse(""), reference(r),
        status.map(Status::wireName).orElse(""), status.map(Status::isClosed).orElse(false),
        modified.toEpochMilli(), modified);
  }

  /** The external reference the back office echoes, as a field or inside {@code extras}. */
  private Optional<String> reference(Report r) {
    return Optional.ofNullable(r.extras().get(settings.referenceAttribute()))
        .filter(s -> !s.isBlank());
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(settings.clock()).withOffsetSameInstant(ZoneOffset.UTC)
        .truncatedTo(ChronoUnit.SECONDS);
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private <T> T call(CrmOperation operation, boolean write,
      UnaryOperator<CrmException.Builder> subject, Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      throw Failures.of(name, operation, write, e, subject);
    }
  }

  /**
   * {@code POST servicerequestupdates}, once per update id. A separate object so that the
   * adapter answers {@link CaseUpdates} only when the back office has the extension.
   */
  private final class Updates implements CaseUpdates {
    @Override
    public AppliedUpdate apply(CaseUpdate update) {
      Objects.requireNonNull(update, "update == null");
      String caseId = update.caseId();
      UnaryOperator<CrmException.Builder> subject = b -> b.caseId(caseId);
      SeenUpdates.Key key = new SeenUpdates.Key(caseId, update.updateId());
      Optional<Instant> known = seen.find(key, now().toInstant());
      if (known.isPresent()) {
        return new AppliedUpdate(known.get().toEpochMilli(), true);
      }
      if (!seen.claim(key)) {
        throw subject.apply(CrmException.of(CrmException.Kind.TRANSIENT, name,
            CrmOperation.APPLY_UPDATE)).detail("update " + update.updateId()
            + " is being applied by another thread").build();
      }
      try {
        return applyClaimed(update, key, subject);
      } finally {
        seen.release(key);
      }
    }

    private AppliedUpdate applyClaimed(CaseUpdate update, SeenUpdates.Key key,
        UnaryOperator<CrmException.Builder> subject) {
      String caseId = update.caseId();
      Report current = call(CrmOperation.APPLY_UPDATE, false, subject, () -> client.request(caseId))
          .orElseThrow(() -> subject.apply(CrmException.of(CrmException.Kind.NOT_FOUND, name,
              CrmOperation.APPLY_UPDATE)).detail("GET requests/" + caseId + " found nothing")
              .build());
      OffsetDateTime now = now();
      OffsetDateTime from = utc(seen.readFrom(key, now.toInstant()));
      seen.read(now.toInstant(), call(CrmOperation.APPLY_UPDATE, false, subject,
          () -> client.updates(from, now.plusSeconds(1))));
      Optional<Instant> applied = seen.find(key, now.toInstant());
      if (applied.isPresent()) {
        return new AppliedUpdate(applied.get().toEpochMilli(), true);
      }
      Status status = status(update, current, subject);
      Instant last = current.updated().or(current::requested).map(OffsetDateTime::toInstant)
          .orElse(Instant.EPOCH);
      OffsetDateTime dated = now.toInstant().isAfter(last) ? now
          : utc(last.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1));
      ReportUpdate sent = ReportUpdate.builder().updateId(update.updateId())
          .serviceRequestId(caseId).status(status).description(update.note().orElse(""))
          .updated(dated).serviceCode(current.serviceCode().orElse(null)).build();
      try {
        call(CrmOperation.APPLY_UPDATE, true, subject, () -> client.postUpdate(sent));
      } catch (RuntimeException e) {
        seen.postFailed(key, dated.toInstant());
        throw e;
      }
      seen.posted(key, dated.toInstant());
      return new AppliedUpdate(dated.toInstant().toEpochMilli(), false);
    }

    private Status status(CaseUpdate update, Report current,
        UnaryOperator<CrmException.Builder> subject) {
      try {
        Optional<Status> asked = update.statusCode().map(Status::parse);
        if (update.closes()) {
          return asked.filter(Status::isClosed).orElse(update.closeReason().get());
        }
        if (asked.isPresent()) {
          return asked.get();
        }
      } catch (IllegalArgumentException e) {
        throw subject.apply(CrmException.of(CrmException.Kind.PERMANENT, name,
            CrmOperation.APPLY_UPDATE)).detail("status code '" + update.statusCode().orElse("")
            + "' is not an Open311 status: " + e.getMessage()).build();
      }
      return settings.extendedStatuses() ? Status.UNCHANGED : current.status().orElse(Status.OPEN);
    }
  }
}
