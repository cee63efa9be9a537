package org.civicsync.open311.server;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.Service;
import org.civicsync.core.model.Status;
import org.civicsync.core.model.W3cDateTime;
import org.civicsync.core.store.Link;
import org.civicsync.core.store.ServedQuery;
import org.civicsync.core.sync.ServeMode;
import org.civicsync.open311.Format;
import org.civicsync.open311.codec.FormCodec;
import org.civicsync.open311.codec.FormFields;

/** {@code POST requests}, {@code tokens/{token}}, {@code GET requests} and {@code requests/{id}}. */
final class ReportRoutes {
  private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final int MAX_IDS = 100;

  /** GeoReport v2: the default and the largest window of GET requests, and its most results. */
  static final Duration MAX_SPAN = Duration.ofDays(90);
  static final int MAX_REQUESTS = 1000;

  private final ServeMode serveMode;
  private final ServiceLists services;
  private final Clock clock;
  private final Backends backends;

  ReportRoutes(ServeMode serveMode, ServiceLists services, Clock clock, Backends backends) {
    this.serveMode = serveMode;
    this.services = services;
    this.clock = clock;
    this.backends = backends;
  }

  /**
   * Records the report durably, keyed by FixMyStreet's report id (or a hash of the report), and
   * answers the CRM id (realtime) or a token (queued). A resend answers what the first got.
   */
  byte[] create(ServedJurisdiction j, Format format, FormFields form) {
    String code = form.first("service_code")
        .orElseThrow(() -> ClientMistake.badRequest("service_code: required"));
    Service service = services.known(j).service(code).orElseThrow(() -> ClientMistake.notFound(
        "service_code '" + Open311Server.clip(code) + "' is not a service of jurisdiction " + j.id()));
    Report report = FormCodec.readRequest(form);
    ReportValidation.check(report, services.known(j).definition(code));
    if (service.isPrivate()) {
      report = report.toBuilder().nonPublic(true).build();
    }
    String key = key(form, report);
    boolean realtime = j.mode() == ServedJurisdiction.Mode.REALTIME;
    Backends.Backend backend = backends.forService(j, code);
    ServeMode.Received received = serveMode.receive(backend.engine(), key, report, realtime);
    if (received.crmId().isPresent()) {
      return Open311Documents.created(format, received.crmId().map(backend::outward),
          Optional.empty());
    }
    if (realtime) {
      // The CRM did not confirm (it failed, or a resend overtook the first attempt): the report is
      // kept and will be created; FixMyStreet sends again and then gets the id.
      throw new ClientMistake(503, "report received and kept, but the council's case system has "
          + "not confirmed it yet; send again later");
    }
    return Open311Documents.created(format, Optional.empty(), Optional.of(backend.outward(key)));
  }

  /**
   * FixMyStreet's report id when it is a plain id, else a hash of every field but the api_key:
   * the same report sent twice gets the same key.
   */
  static String key(FormFields form, Report report) {
    Optional<String> fmsId = report.fixMyStreetId();
    if (fmsId.isPresent() && PLAIN_ID.matcher(fmsId.get()).matches()) {
      return "fms-" + fmsId.get();
    }
    TreeMap<String, List<String>> canonical = new TreeMap<>();
    for (Map.Entry<String, String> e : form.entries()) {
      if (!e.getKey().equals("api_key")) {
        canonical.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
      }
    }
    byte[] hash = Open311Server.sha256(canonical.toString());
    return "h-" + HexFormat.of().formatHex(hash, 0, 16);
  }

  byte[] token(ServedJurisdiction j, Format format, String token) {
    Optional<Backends.Inward> routed = backends.inward(j, token);
    Link link = routed.flatMap(r -> serveMode.findByKey(r.backend().engine(), r.localId()))
        .orElseThrow(() ->
            ClientMistake.notFound("token '" + Open311Server.clip(token) + "' is not known"));
    return Open311Documents.created(format, link.crmId().map(routed.get().backend()::outward),
        Optional.of(token));
  }

  /** One report; a non-public one is not disclosed (404, as if unknown). */
  byte[] one(ServedJurisdiction j, Format format, String id) {
    return Open311Documents.requests(format, List.of(served(j, id).orElseThrow(() ->
        ClientMistake.notFound("service_request_id '" + Open311Server.clip(id) + "' is not known"))));
  }

  /**
   * By {@code service_request_id} (a comma list, which overrides every other filter), else the
   * window of {@code requested_datetime} in [start_date, end_date] (GeoReport v2: at most 90 days;
   * by default the last 90 days, at most 1,000 requests, oldest first) filtered by
   * {@code service_code} and {@code status} (comma lists). Non-public reports are never listed.
   */
  byte[] list(ServedJurisdiction j, Format format, FormFields query) {
    Optional<String> ids = query.first("service_request_id");
    if (ids.isPresent()) {
      String[] each = ids.get().split(",");
      if (each.length > MAX_IDS) {
        throw ClientMistake.badRequest("service_request_id: at most " + MAX_IDS + " ids at once");
      }
      List<Report> found = new ArrayList<>();
      for (String id : each) {
        if (!id.isBlank()) {
          served(j, id.strip()).ifPresent(found::add);
        }
      }
      return Open311Documents.requests(format, found);
    }
    Window window = Window.of(query, clock.instant());
    Set<String> codes = new HashSet<>(commaList(query, "service_code"));
    Set<String> statuses = new HashSet<>();
    for (String word : commaList(query, "status")) {
      boolean closed = switch (word.toLowerCase(Locale.ROOT)) {
        case "open" -> false;
        case "closed" -> true;
        default -> throw ClientMistake.badRequest("status: '" + Open311Server.clip(word)
            + "' is not open or closed");
      };
      for (Status s : Status.values()) {
        if (s != Status.UNCHANGED && s.isClosed() == closed) {
          statuses.add(s.name());
        }
      }
    }
    Set<String> hidden = new HashSet<>();
    for (Service s : services.known(j).services()) {
      if (s.isPrivate()) {
        hidden.add(s.code());
      }
    }
    List<Report> reports = new ArrayList<>();
    for (Backends.Backend backend : backends.all(j)) {
      for (Report r : serveMode.servedRequests(new ServedQuery(backend.engine(), window.start(),
          window.end(), codes, hidden, statuses, MAX_REQUESTS))) {
        reports.add(r.toBuilder().id(backend.outward(r.id().orElseThrow())).build());
      }
    }
    // Several CRMs: merged oldest first, and still at most MAX_REQUESTS in all.
    reports.sort(java.util.Comparator.comparing(r -> r.requested().orElseThrow().toInstant()));
    return Open311Documents.requests(format, reports.stream().limit(MAX_REQUESTS)
        .map(r -> withServiceName(j, r)).toList());
  }

  private static List<String> commaList(FormFields query, String field) {
    return query.first(field).map(v -> Arrays.stream(v.split(",")).map(String::strip)
        .filter(w -> !w.isEmpty()).toList()).orElse(List.of());
  }

  /**
   * A report as FixMyStreet may see it: its CRM id, status and times; no contact; nothing when it
   * is non-public (its category is private, or it was sent as such) or has no case yet.
   */
  private Optional<Report> served(ServedJurisdiction j, String id) {
    return backends.inward(j, id).flatMap(in -> serveMode.servedReport(in.backend().engine(),
            in.localId()).map(r -> r.toBuilder().id(in.backend().outward(r.id().orElseThrow()))
            .build()))
        .filter(r -> !r.nonPublic())
        .filter(r -> r.serviceCode().flatMap(c -> services.known(j).service(c))
            .map(s -> !s.isPrivate()).orElse(true))
        .map(r -> withServiceName(j, r));
  }

  private Report withServiceName(ServedJurisdiction j, Report r) {
    return r.serviceCode().flatMap(c -> services.known(j).service(c))
        .map(s -> r.toBuilder().serviceName(s.name()).build()).orElse(r);
  }

  /** A window of requested_datetime, checked as GeoReport v2 asks. */
  record Window(Instant start, Instant end) {
    static Window of(FormFields query, Instant now) {
      Optional<Instant> start = date(query, "start_date");
      Optional<Instant> end = date(query, "end_date");
      Instant to = end.orElseGet(() -> start.map(s -> s.plus(MAX_SPAN)).orElse(now));
      Instant from = start.orElseGet(() -> to.minus(MAX_SPAN));
      if (to.isBefore(from)) {
        throw ClientMistake.badRequest("end_date: before start_date");
      }
      if (Duration.between(from, to).compareTo(MAX_SPAN) > 0) {
        throw ClientMistake.badRequest("end_date: more than 90 days after start_date");
      }
      return new Window(from, to);
    }

    private static Optional<Instant> date(FormFields query, String field) {
      Optional<String> value = query.first(field);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      try {
        return Optional.of(W3cDateTime.parse(value.get()).toInstant());
      } catch (RuntimeException e) {
        throw ClientMistake.badRequest(field + ": '" + Open311Server.clip(value.get())
            + "' is not a W3C date-time with a zone");
      }
    }
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
