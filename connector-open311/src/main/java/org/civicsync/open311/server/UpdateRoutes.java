package org.civicsync.open311.server;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.model.W3cDateTime;
import org.civicsync.core.sync.ServeMode;
import org.civicsync.open311.Format;
import org.civicsync.open311.codec.FormCodec;
import org.civicsync.open311.codec.FormFields;

/** mySociety's extension: {@code GET} and {@code POST servicerequestupdates}. */
final class UpdateRoutes {
  private static final List<String> REQUIRED =
      List.of("service_request_id", "update_id", "status", "updated_datetime");

  private final ServeMode serveMode;
  private final Clock clock;
  private final int limit;
  private final Backends backends;
  /** Journal entries never change: each update in the feed is rendered once per format. */
  private final RenderedUpdates rendered = new RenderedUpdates();

  UpdateRoutes(ServeMode serveMode, Clock clock, int limit, Backends backends) {
    this.serveMode = serveMode;
    this.clock = clock;
    this.limit = limit;
    this.backends = backends;
  }

  /**
   * The journal's updates whose {@code updated_datetime} lies in [start_date, end_date], oldest
   * first, at most {@code limit} (1,000): FixMyStreet does not page, so a fuller window answers
   * its first 1,000 and the rest come when FixMyStreet asks from a later start_date (its window
   * moves on with every fetch). Behind a fan-out, each CRM's updates carry its prefix on both
   * service_request_id and update_id (two CRMs may both make {@code crm-CASE-000001-2}).
   */
  byte[] feed(ServedJurisdiction j, Format format, FormFields query) {
    Instant start = date(query, "start_date");
    Instant end = query.first("end_date").isPresent() ? date(query, "end_date") : clock.instant();
    if (end.isBefore(start)) {
      throw ClientMistake.badRequest("end_date: before start_date");
    }
    List<Backends.Backend> all = backends.all(j);
    if (all.size() == 1 && all.get(0).prefix().isEmpty()) {
      return Open311Documents.updates(format, serveMode.updatesBetween(j.id(), start, end, limit),
          rendered);
    }
    List<ReportUpdate> updates = new ArrayList<>();
    for (Backends.Backend b : all) {
      for (ReportUpdate u : serveMode.updatesBetween(b.engine(), start, end, limit)) {
        updates.add(u.toBuilder().updateId(u.updateId().map(b::outward).orElse(null))
            .serviceRequestId(u.serviceRequestId().map(b::outward).orElse(null)).build());
      }
    }
    updates.sort(Comparator.comparing(u -> u.updated().map(OffsetDateTime::toInstant)
        .orElse(Instant.MIN)));
    return Open311Documents.updates(format, updates.subList(0, Math.min(limit, updates.size())));
  }

  private static Instant date(FormFields query, String field) {
    String value = query.first(field)
        .orElseThrow(() -> ClientMistake.badRequest(field + ": required"));
    try {
      return W3cDateTime.parse(value).toInstant();
    } catch (IllegalArgumentException e) {
      throw ClientMistake.badRequest(field + ": " + e.getMessage());
    }
  }

  /**
   * A comment or status from FixMyStreet, recorded durably for the CRM before answering; the same
   * update_id sent again is answered the same and queued once.
   */
  byte[] receive(ServedJurisdiction j, Format format, FormFields form) {
    for (String field : REQUIRED) {
      if (form.first(field).isEmpty()) {
        throw ClientMistake.badRequest(field + ": required");
      }
    }
    if (form.all("description").isEmpty()) {
      throw ClientMistake.badRequest("description: required (it may be empty)");
    }
    ReportUpdate update = FormCodec.readUpdate(form);
    OffsetDateTime updated = update.updated().orElseThrow();
    if (updated.toInstant().isAfter(clock.instant().plusSeconds(24 * 3600))) {
      throw ClientMistake.badRequest("updated_datetime: more than a day in the future");
    }
    String id = update.serviceRequestId().orElseThrow();
    Backends.Inward in = backends.inward(j, id).orElseThrow(() -> ClientMistake.notFound(
        "service_request_id '" + Open311Server.clip(id) + "' is not known"));
    ReportUpdate local = update.toBuilder().serviceRequestId(in.localId()).build();
    serveMode.receiveUpdate(in.backend().engine(), local).orElseThrow(() ->
        ClientMistake.notFound("service_request_id '" + Open311Server.clip(id) + "' is not known"));
    return Open311Documents.updateReceived(format, update.updateId().orElseThrow());
  }
}
