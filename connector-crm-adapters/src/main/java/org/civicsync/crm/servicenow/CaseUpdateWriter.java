package org.civicsync.crm.servicenow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import okhttp3.HttpUrl;
import org.civicsync.core.spi.AppliedUpdate;
import org.civicsync.core.spi.CaseUpdate;
import org.civicsync.core.spi.CrmCase;
import org.civicsync.core.spi.CrmOperation;

/**
 * Applies one {@link CaseUpdate} with {@code PATCH /api/now/table/{table}/{sys_id}}, once.
 *
 * <p>ServiceNow has no field for the engine's update id, so a note carries it as a trailing
 * {@code [civicsync:<updateId>]}, and the journal ({@code sys_journal_field}, where work notes and
 * comments are stored) is searched for it first. A status-only update is known as applied when
 * the case already has that state.
 */
final class CaseUpdateWriter {
  private final ServiceNowSettings settings;
  private final TableApi api;

  CaseUpdateWriter(ServiceNowSettings settings, TableApi api) {
    this.settings = settings;
    this.api = api;
  }

  AppliedUpdate apply(CaseUpdate update) {
    TableApi.Subject subject = b -> b.caseId(update.caseId());
    HttpUrl record = settings.tableUrl().newBuilder().addPathSegment(update.caseId()).build();
    CrmCase now = CaseRecord.toCase(api.get(ServiceNowCrm.readUrl(record, settings).build(),
        CrmOperation.APPLY_UPDATE, subject), settings);
    String targetState = update.closes()
        ? update.statusCode().orElse(settings.resolveState())
        : update.statusCode().orElse(now.statusCode());
    boolean stateInPlace = targetState.equals(now.statusCode());
    boolean noteInPlace = update.note().isEmpty() || journalHas(update, subject);
    if (stateInPlace && noteInPlace) {
      return new AppliedUpdate(now.version(), true);
    }
    ObjectNode body = new ObjectMapper().createObjectNode();
    if (!noteInPlace) {
      body.put(settings.noteField(), update.note().get() + "\n" + marker(update.updateId()));
    }
    if (!stateInPlace) {
      body.put("state", targetState);
    }
    if (update.closes() && !stateInPlace) {
      String reason = update.closeReason().get().name().toLowerCase(Locale.ROOT).replace('_', ' ');
      body.put(settings.closeCodeField(), settings.closeCode());
      // close_notes is mandatory on resolve; a note the update carries is the natural text.
      body.put("close_notes", update.note().orElse("Closed from Open311: " + reason)
          + "\n" + marker(update.updateId()));
    }
    JsonNode patched = api.write("PATCH", ServiceNowCrm.readUrl(record, settings).build(), body,
        CrmOperation.APPLY_UPDATE, subject);
    return new AppliedUpdate(CaseRecord.toCase(patched, settings).version(), false);
  }

  private boolean journalHas(CaseUpdate update, TableApi.Subject subject) {
    HttpUrl url = settings.tableUrl("sys_journal_field").newBuilder()
        .addQueryParameter("sysparm_query", "element_id=" + update.caseId()
            + "^element=" + settings.noteField()
            + "^valueLIKE" + ServiceNowCrm.literal(marker(update.updateId())))
        .addQueryParameter("sysparm_fields", "sys_id")
        .addQueryParameter("sysparm_limit", "1")
        .build();
    return api.get(url, CrmOperation.APPLY_UPDATE, subject).size() > 0;
  }

  static String marker(String updateId) {
    return "[civicsync:" + updateId + "]";
  }
}
