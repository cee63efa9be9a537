package org.civicsync.open311.server;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.Service;
import org.civicsync.core.model.Status;
import org.civicsync.core.store.Link;
import org.civicsync.core.sync.ServeMode;
import org.civicsync.open311.Format;
import org.civicsync.open311.codec.FormCodec;
import org.civicsync.open311.codec.FormFields;

/** {@code POST requests}, {@code tokens/{token}}, {@code GET requests} and {@code requests/{id}}. */
final class ReportRoutes {
  private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final int MAX_IDS = 100;

  private final ServeMode serveMode;

  ReportRoutes(ServeMode serveMode) {
    this.serveMode = serveMode;
  }

  /**
   * Records the report durably, keyed by FixMyStreet's report id (or a hash of the report), and
   * answers the CRM id (realtime) or a token (queued). A resend answers what the first got.
   */
  byte[] create(ServedJurisdiction j, Format format, FormFields form) {
    String code = form.first("service_code")
        .orElseThrow(() -> ClientMistake.badRequest("service_code: required"));
    Service service = j.service(code).orElseThrow(() -> ClientMistake.notFound(
        "service_code '" + Open311Server.clip(code) + "' is not a service of jurisdiction " + j.id()));
    Report report = FormCodec.readRequest(form);
    ReportValidation.check(report, Optional.ofNullable(j.definitions().get(code)));
    if (service.isPrivate()) {
      report = report.toBuilder().nonPublic(true).build();
    }
    String key = key(form, report);
    boolean realtime = j.mode() == ServedJurisdiction.Mode.REALTIME;
    ServeMode.Received received = serveMode.receive(j.id(), key, report, realtime);
    if (received.crmId().isPresent()) {
      return Open311Documents.created(format, received.crmId(), Optional.empty());
    }
    if (realtime) {
      // The CRM did not confirm (it failed, or a resend overtook the first attempt): the report is
      // kept and will be created; FixMyStreet sends again and then gets the id.
      throw new ClientMistake(503, "report received and kept, but the council's case system has "
          + "not confirmed it yet; send again later");
    }
    return Open311Documents.created(format, Optional.empty(), Optional.of(key));
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
    Link link = serveMode.findByKey(j.id(), token).orElseThrow(() ->
        ClientMistake.notFound("token '" + Open311Server.clip(token) + "' is not known"));
    return Open311Documents.created(format, link.crmId(), Optional.of(token));
  }

  byte[] one(ServedJurisdiction j, Format format, String id) {
    return Open311Documents.requests(format, List.of(served(j, id).orElseThrow(() ->
        ClientMistake.notFound("service_request_id '" + Open311Server.clip(id) + "' is not known"))));
  }

  /**
   * By {@code service_request_id} (a comma list, which overrides every other filter). Windows on
   * {@code requested_datetime} are refused for now rather than answered incompletely.
   */
  byte[] list(ServedJurisdiction j, Format format, FormFields query) {
    Optional<String> ids = query.first("service_request_id");
    if (ids.isEmpty()) {
      throw ClientMistake.badRequest("service_request_id: required; this endpoint does not list "
          + "requests by start_date/end_date yet");
    }
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

  /** A linked report as FixMyStreet may see it: its CRM id, status and times; no contact. */
  private Optional<Report> served(ServedJurisdiction j, String id) {
    Optional<Link> link = serveMode.findByServedId(j.id(), id).filter(l -> l.crmId().isPresent());
    if (link.isEmpty()) {
      return Optional.empty();
    }
    Link l = link.get();
    return serveMode.receivedReport(l).map(r -> {
      Status status = l.crm().status().or(() -> l.open311().status()).orElse(Status.OPEN);
      Report.Builder b = r.toBuilder().id(l.crmId().get()).status(status)
          .requested(l.created().atOffset(ZoneOffset.UTC))
          .updated(l.updated().atOffset(ZoneOffset.UTC));
      r.serviceCode().flatMap(j::service).ifPresent(s -> b.serviceName(s.name()));
      return b.build();
    });
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
