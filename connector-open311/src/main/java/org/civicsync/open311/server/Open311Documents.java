package org.civicsync.open311.server;

import java.util.List;
import java.util.Optional;
import org.civicsync.core.model.AttributeValue;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.model.Service;
import org.civicsync.core.model.ServiceAttribute;
import org.civicsync.core.model.ServiceDefinition;
import org.civicsync.core.model.W3cDateTime;
import org.civicsync.open311.Format;
import org.civicsync.open311.Open311Error;

/**
 * The documents the server answers with, shaped as FixMyStreet reads them: roots
 * {@code services}, {@code service_definition}, {@code service_requests},
 * {@code service_request_updates}, {@code errors}; one scalar {@code service_request_id} per
 * {@code request}. Contact details are never written: they are the citizen's, not the public's.
 */
final class Open311Documents {
  private Open311Documents() {}

  static byte[] errors(Format format, List<Open311Error> errors) {
    WireWriter w = WireWriter.of(format).beginList("errors", "error");
    for (Open311Error e : errors) {
      w.beginItem().field("code", e.code()).field("description", e.description()).end();
    }
    return w.end().finish();
  }

  static byte[] services(Format format, List<Service> services) {
    WireWriter w = WireWriter.of(format).beginList("services", "service");
    for (Service s : services) {
      w.beginItem()
          .field("service_code", s.code())
          .field("service_name", s.name())
          .field("description", s.description().orElse(null))
          .field("metadata", Boolean.toString(s.metadata()))
          .field("type", s.type().wireName())
          .field("keywords", s.keywords().isEmpty() ? null : String.join(",", s.keywords()))
          .field("group", s.groups().isEmpty() ? null : s.groups().get(0));
      if (s.groups().size() > 1) {
        w.beginList("groups", "group");
        s.groups().forEach(w::value);
        w.end();
      }
      w.end();
    }
    return w.end().finish();
  }

  static byte[] definition(Format format, ServiceDefinition definition) {
    WireWriter w = WireWriter.of(format).beginObject("service_definition")
        .field("service_code", definition.serviceCode())
        .beginList("attributes", "attribute");
    for (ServiceAttribute a : definition.attributes()) {
      w.beginItem()
          .field("variable", Boolean.toString(a.variable()))
          .field("code", a.code())
          .field("datatype", a.datatype().wireName())
          .field("required", Boolean.toString(a.required()))
          .field("datatype_description", a.datatypeDescription().orElse(null))
          .field("order", Integer.toString(a.order()))
          .field("description", a.description().orElse(a.code()))
          .field("automated", a.automated().orElse(null));
      if (!a.values().isEmpty()) {
        w.beginList("values", "value");
        for (AttributeValue v : a.values()) {
          w.beginItem().field("key", v.key()).field("name", v.name()).end();
        }
        w.end();
      }
      w.end();
    }
    return w.end().end().finish();
  }

  /** The answer to {@code POST requests} or {@code GET tokens/{token}}: an id, a token, or both. */
  static byte[] created(Format format, Optional<String> serviceRequestId, Optional<String> token) {
    return WireWriter.of(format).beginList("service_requests", "request").beginItem()
        .field("service_request_id", serviceRequestId.orElse(null))
        .field("token", token.orElse(null))
        .end().end().finish();
  }

  static byte[] requests(Format format, List<Report> reports) {
    WireWriter w = WireWriter.of(format).beginList("service_requests", "request");
    for (Report r : reports) {
      w.beginItem()
          .field("service_request_id", r.id().orElse(null))
          .field("status", r.status().map(s -> s.plain().wireName()).orElse(null))
          .field("status_notes", r.statusNotes().orElse(null))
          .field("service_name", r.serviceName().orElse(null))
          .field("service_code", r.serviceCode().orElse(null))
          .field("title", r.title().orElse(null))
          .field("description", r.description().orElse(null))
          .field("agency_responsible", r.agencyResponsible().orElse(null))
          .field("requested_datetime", r.requested().map(W3cDateTime::format).orElse(null))
          .field("updated_datetime", r.updated().map(W3cDateTime::format).orElse(null))
          .field("address", r.location().address().orElse(null))
          .field("address_id", r.location().addressId().orElse(null))
          .field("lat", r.location().coordinates().map(c -> c.lat().toPlainString()).orElse(null))
          .field("long", r.location().coordinates().map(c -> c.lon().toPlainString()).orElse(null))
          .field("non_public", r.nonPublic() ? "1" : null);
      if (!r.mediaUrls().isEmpty()) {
        w.field("media_url", r.mediaUrls().get(0));
      }
      w.end();
    }
    return w.end().finish();
  }

  /** The updates feed: {@code external_status_code} and {@code fixmystreet_id} included. */
  static byte[] updates(Format format, List<ReportUpdate> updates) {
    WireWriter w = WireWriter.of(format).beginList("service_request_updates", "request_update");
    for (ReportUpdate u : updates) {
      update(w, u);
    }
    return w.end().finish();
  }

  /**
   * The same feed with each item taken from {@code items}, which renders an update once and then
   * repeats it: byte for byte what {@link #updates(Format, List)} writes.
   */
  static byte[] updates(Format format, List<ReportUpdate> updates, RenderedUpdates items) {
    WireWriter w = WireWriter.of(format).beginList("service_request_updates", "request_update");
    for (ReportUpdate u : updates) {
      w.rendered(items.item(format, u));
    }
    return w.end().finish();
  }

  /** One {@code request_update} on its own, for {@link RenderedUpdates}. */
  static String updateItem(Format format, ReportUpdate u) {
    return WireWriter.item(format, "request_update", w -> updateFields(w, u));
  }

  static void update(WireWriter w, ReportUpdate u) {
    updateFields(w.beginItem(), u).end();
  }

  private static WireWriter updateFields(WireWriter w, ReportUpdate u) {
    return w
        .field("update_id", u.updateId().orElse(null))
        .field("service_request_id", u.serviceRequestId().orElse(null))
        .field("status", u.status().map(s -> s.wireName()).orElse(null))
        .field("description", u.description().orElse(""))
        .field("updated_datetime", u.updated().map(W3cDateTime::format).orElse(null))
        .field("media_url", u.mediaUrls().isEmpty() ? null : u.mediaUrls().get(0))
        .field("external_status_code", u.externalStatusCode().orElse(null))
        .field("customer_reference", u.customerReference().orElse(null))
        .field("fixmystreet_id", u.fixMyStreetId().orElse(null));
  }

  /** The answer to {@code POST servicerequestupdates}. */
  static byte[] updateReceived(Format format, String updateId) {
    return WireWriter.of(format).beginList("service_request_updates", "request_update")
        .beginItem().field("update_id", updateId).end().end().finish();
  }

  static byte[] discovery(Format format, String changeset, String baseUrl) {
    WireWriter w = WireWriter.of(format).beginObject("discovery")
        .field("changeset", changeset)
        .field("contact", "Served by CivicSync")
        .beginList("endpoints", "endpoint").beginItem()
        .field("specification", "http://wiki.open311.org/GeoReport_v2")
        .field("url", baseUrl)
        .field("changeset", changeset)
        .field("type", "production")
        .beginList("formats", "format").value("text/xml").value("application/json").end()
        .end().end();
    return w.end().finish();
  }
}
