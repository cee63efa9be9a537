package org.civicsync.crm.servicenow;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import org.civicsync.core.spi.ChangePage;
import org.civicsync.core.spi.CrmChange;
import org.civicsync.core.spi.CrmNote;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.crm.feed.KeysetPosition;

/**
 * Adds the officers' customer-visible comments to a page of case changes. A comment is stored in
 * the Journal Entry table ({@code sys_journal_field}: {@code element_id} the record's
 * {@code sys_id}, {@code element} the journal field, {@code value}, {@code sys_created_on}), and
 * writing it moves the record's {@code sys_updated_on} and {@code sys_mod_count}, so the record is
 * in the feed already; this finds the words. Only {@code comments} are read: {@code work_notes}
 * are internal and must never reach FixMyStreet.
 *
 * <p>Each change gets the comments on its record created after the page's start and no later
 * than the change (one record appears once per page, with its latest state). A comment carrying
 * the connector's own {@code [civicsync:<updateId>]} is the engine's and is left out of the text;
 * a change whose only comments are the engine's carries that update id, so the engine drops the
 * echo.
 */
final class PublicComments {
  static final String FIELD = "comments";
  private static final Pattern MARKER = Pattern.compile("\\n?\\[civicsync:([^\\]]+)\\]\\s*$");
  private static final DateTimeFormatter STORED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final ServiceNowSettings settings;
  private final TableApi api;

  PublicComments(ServiceNowSettings settings, TableApi api) {
    this.settings = settings;
    this.api = api;
  }

  ChangePage attach(ChangePage page, KeysetPosition after) {
    if (page.changes().isEmpty()) {
      return page;
    }
    LinkedHashSet<String> ids = new LinkedHashSet<>();
    Instant last = after.modified();
    for (CrmChange change : page.changes()) {
      ids.add(change.caseId());
      last = change.modified().isAfter(last) ? change.modified() : last;
    }
    HttpUrl url = settings.tableUrl("sys_journal_field").newBuilder()
        .addQueryParameter("sysparm_query", "element_idIN" + String.join(",", ids)
            + "^element=" + FIELD
            + "^sys_created_on>=" + literal(after.modified())
            + "^sys_created_on<=" + literal(last)
            + "^ORDERBYsys_created_on^ORDERBYsys_id")
        .addQueryParameter("sysparm_fields", "sys_id,element_id,value,sys_created_on")
        .addQueryParameter("sysparm_no_count", "true")
        .build();
    JsonNode entries = api.get(url, CrmOperation.LIST_CHANGES, b -> b);
    List<CrmChange> changes = new ArrayList<>(page.changes().size());
    for (CrmChange change : page.changes()) {
      changes.add(withComments(change, entries));
    }
    return new ChangePage(changes, page.next(), page.more());
  }

  private static CrmChange withComments(CrmChange change, JsonNode entries) {
    List<String> texts = new ArrayList<>();
    Optional<String> ours = Optional.empty();
    String noteId = null;
    Instant created = null;
    for (JsonNode entry : entries) {
      if (!CaseRecord.text(entry, "element_id").orElse("").equals(change.caseId())) {
        continue;
      }
      Instant at = CaseRecord.createdOn(entry);
      if (at.isAfter(change.modified())) {
        continue;
      }
      String value = CaseRecord.text(entry, "value").orElse("");
      Matcher m = MARKER.matcher(value);
      if (m.find()) {
        ours = Optional.of(m.group(1));
        continue;
      }
      if (!value.isBlank()) {
        texts.add(value);
        noteId = CaseRecord.text(entry, "sys_id").orElse(change.caseId() + "@" + at);
        created = at;
      }
    }
    if (texts.isEmpty()) {
      return ours.isPresent()
          ? new CrmChange(change.modified(), change.crmCase(), Optional.empty(), ours) : change;
    }
    CrmNote note = new CrmNote(noteId, String.join("\n\n", texts), created, Optional.empty());
    return new CrmChange(change.modified(), change.crmCase(), Optional.of(note), Optional.empty());
  }

  /** A literal time for the encoded query, in the integration user's zone as the instance reads it. */
  private String literal(Instant time) {
    return STORED.format(time.atZone(settings.userTimeZone()));
  }
}
