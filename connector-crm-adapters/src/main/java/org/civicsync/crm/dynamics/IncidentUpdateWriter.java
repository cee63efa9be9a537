package org.civicsync.crm.dynamics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import org.civicsync.core.spi.AppliedUpdate;
import org.civicsync.core.spi.CaseUpdate;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmOperation;

/**
 * Applies one {@link CaseUpdate} to an incident, once.
 *
 * <ol>
 *   <li>The incident is read, with its {@code @odata.etag}.
 *   <li>A note becomes an {@code annotation} ({@code POST annotations} with
 *       {@code objectid_incident@odata.bind}), its subject {@code CivicSync [civicsync:<id>]} and
 *       the same marker ending its text; a note with that subject on the case means it is there.
 *   <li>While the case is active, a PATCH with {@code If-Match: <etag>} writes the update id to
 *       the update id column, with {@code statecode}/{@code statuscode} for an Active or
 *       Cancelled status. A 412 means an officer changed the case since step 1: nothing was
 *       written, and the update fails {@code TRANSIENT}, to be decided again from the new state.
 *   <li>A Resolved status is set with the {@code CloseIncident} action, which records an
 *       {@code incidentresolution}; the action takes no ETag, so step 3's PATCH is what guards it.
 * </ol>
 *
 * A resend finds each part in place (the note by its subject, the status by its code, the update
 * id in its column) and writes only what is missing. A resolved or cancelled incident is read-only
 * in Dataverse, so a note on a closed case is written without the update id and without moving the
 * version.
 */
final class IncidentUpdateWriter {
  private static final Map<String, String> REPRESENTATION = Map.of("Prefer", "return=representation");

  private final String system;
  private final DynamicsSettings settings;
  private final WebApi api;
  private final ObjectMapper json;

  IncidentUpdateWriter(String system, DynamicsSettings settings, WebApi api, ObjectMapper json) {
    this.system = system;
    this.settings = settings;
    this.api = api;
    this.json = json;
  }

  AppliedUpdate apply(CaseUpdate update) {
    String caseId = update.caseId();
    WebApi.Subject subject = b -> b.caseId(caseId);
    if (!DynamicsSettings.GUID.matcher(caseId).matches()) {
      throw subject.apply(CrmException.of(CrmException.Kind.NOT_FOUND, system,
          CrmOperation.APPLY_UPDATE)).detail("not an incidentid (a GUID)").build();
    }
    HttpUrl record = settings.api().addPathSegment("incidents(" + caseId.toLowerCase(Locale.ROOT) + ")")
        .addEncodedQueryParameter("$select", IncidentRecord.select(settings)).build();
    JsonNode now = read(record, subject);
    boolean active = IncidentRecord.active(now);
    String status = IncidentRecord.text(now, "statuscode").orElse("");

    Optional<String> target = update.closes()
        ? Optional.of(update.statusCode().orElse(settings.closeStatus())) : update.statusCode();
    if (target.isPresent() && !target.get().matches("[0-9]{1,9}")) {
      throw subject.apply(CrmException.of(CrmException.Kind.PERMANENT, system,
          CrmOperation.APPLY_UPDATE)).detail("status code '" + target.get()
              + "' is not a statuscode number: check the mapping's open311_to_crm").build();
    }
    int targetState = target.map(settings::stateOf).orElse(0);
    boolean statusInPlace = target.isEmpty() || target.get().equals(status)
        // Closing a case that is closed already: closed it is, whatever its closing code.
        || (targetState != 0 && !active);
    boolean stampInPlace = !active
        || IncidentRecord.updateId(now, settings).filter(update.updateId()::equals).isPresent();
    boolean noteInPlace = update.note().isEmpty() || noteExists(caseId, update.updateId(), subject);
    if (statusInPlace && stampInPlace && noteInPlace) {
      return new AppliedUpdate(IncidentRecord.toCase(now, settings).version(), true);
    }

    if (!noteInPlace) {
      ObjectNode annotation = json.createObjectNode()
          .put("subject", subject(update.updateId()))
          .put("notetext", update.note().get() + "\n" + marker(update.updateId()))
          .put("objectid_incident@odata.bind", "/incidents(" + caseId + ")");
      api.ok(api.write("POST", settings.api().addPathSegment("annotations").build(), annotation,
          Map.of(), CrmOperation.APPLY_UPDATE, subject), CrmOperation.APPLY_UPDATE, subject);
    }
    JsonNode after = now;
    // A status not in place means an active case, or a reopen: both take the PATCH first.
    boolean patch = !statusInPlace || !stampInPlace;
    if (patch) {
      ObjectNode changes = json.createObjectNode().put(settings.updateIdColumn(), update.updateId());
      if (!statusInPlace && targetState != 1) {
        changes.put("statecode", targetState).put("statuscode", Integer.parseInt(target.get()));
      }
      Map<String, String> headers = new LinkedHashMap<>(REPRESENTATION);
      // Optimistic concurrency: only the version read above is changed.
      IncidentRecord.etag(now).ifPresent(etag -> headers.put("If-Match", etag));
      WebApi.Answer answer = api.write("PATCH", record, changes, headers,
          CrmOperation.APPLY_UPDATE, subject);
      if (answer.code() == 412) {
        throw subject.apply(CrmException.of(CrmException.Kind.TRANSIENT, system,
            CrmOperation.APPLY_UPDATE)).detail("HTTP 412: the case changed since it was read"
                + " (ETag " + IncidentRecord.etag(now).orElse("-") + "); nothing was written")
            .build();
      }
      after = api.ok(answer, CrmOperation.APPLY_UPDATE, subject).body();
      if (!after.hasNonNull("versionnumber")) {
        after = read(record, subject); // 204: the representation was not returned
      }
    }
    if (!statusInPlace && targetState == 1) {
      String reason = update.closeReason().map(r -> r.name().toLowerCase(Locale.ROOT)
          .replace('_', ' ')).orElse("status " + target.get());
      ObjectNode resolution = json.createObjectNode()
          .put("subject", "Closed from Open311: " + reason)
          .put("incidentid@odata.bind", "/incidents(" + caseId + ")")
          .put("description", update.note().orElse("Closed from Open311: " + reason)
              + "\n" + marker(update.updateId()));
      ObjectNode close = json.createObjectNode();
      close.set("IncidentResolution", resolution);
      close.put("Status", Integer.parseInt(target.get()));
      api.ok(api.write("POST", settings.api().addPathSegment("CloseIncident").build(), close,
          Map.of(), CrmOperation.APPLY_UPDATE, subject), CrmOperation.APPLY_UPDATE, subject);
      after = read(record, subject); // the action answers 204 without the incident
    }
    return new AppliedUpdate(IncidentRecord.toCase(after, settings).version(), false);
  }

  private JsonNode read(HttpUrl record, WebApi.Subject subject) {
    return api.ok(api.get(record, Map.of(), CrmOperation.APPLY_UPDATE, subject),
        CrmOperation.APPLY_UPDATE, subject).body();
  }

  private boolean noteExists(String caseId, String updateId, WebApi.Subject subject) {
    HttpUrl url = settings.api().addPathSegment("annotations")
        .addEncodedQueryParameter("$select", "annotationid")
        .addEncodedQueryParameter("$filter", DynamicsCrm.encode("_objectid_value eq " + caseId
            + " and subject eq '" + subject(updateId).replace("'", "''") + "'"))
        .addEncodedQueryParameter("$top", "1")
        .build();
    JsonNode found = api.ok(api.get(url, Map.of(), CrmOperation.APPLY_UPDATE, subject),
        CrmOperation.APPLY_UPDATE, subject).body();
    return found.path("value").size() > 0;
  }

  /** The note's subject: how a resend finds it (notetext is a memo, not meant for filters). */
  static String subject(String updateId) {
    return "CivicSync " + marker(updateId);
  }

  static String marker(String updateId) {
    return "[civicsync:" + updateId + "]";
  }
}
