package org.civicsync.crm.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.civicsync.core.spi.ChangePage;
import org.civicsync.core.spi.CrmChange;
import org.civicsync.core.spi.CrmNote;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.crm.feed.KeysetPosition;

/**
 * Adds the officers' published comments to a page of Case changes: the {@code CaseComment}s with
 * {@code IsPublished = true} (visible to the public, as a note to FixMyStreet is) on the page's
 * Cases, created since the page's start, in one SOQL query per page. Each change gets the
 * comments on its Case created no later than the change. Unpublished comments are internal and
 * never read. The adapter writes its own comments unpublished; one that was published later and
 * carries {@code [civicsync:<updateId>]} becomes the change's update id, not a note.
 *
 * <p>A comment reaches the feed with a change of its Case: the Case must be listed at or after
 * the comment's time. The adapter stamps the Case with each comment it writes; for an officer's
 * comment that relies on the org moving the Case's {@code SystemModstamp} (or on the Case's next
 * change).
 */
final class PublishedComments {
  private static final Pattern MARKER = Pattern.compile("\\[civicsync:([^\\]]+)\\]\\s*$");
  private static final DateTimeFormatter SOQL_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  /** 250 ids of 18 characters, quoted and separated, keep a query near 6,000 characters. */
  static final int IDS_PER_QUERY = 250;

  private final RestApi api;

  PublishedComments(RestApi api) {
    this.api = api;
  }

  ChangePage attach(ChangePage page, KeysetPosition after) {
    if (page.changes().isEmpty()) {
      return page;
    }
    // Ids were read from the org's own answer and match [A-Za-z0-9]{15,18}: safe in a literal.
    // A GET's URI is limited (16,384 characters on the REST API), so the ids go in chunks.
    List<String> ids = page.changes().stream().map(CrmChange::caseId).distinct().toList();
    List<JsonNode> comments = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY));
      read(chunk, after, comments);
    }
    List<CrmChange> changes = new ArrayList<>(page.changes().size());
    for (CrmChange change : page.changes()) {
      changes.add(withComments(change, comments));
    }
    return new ChangePage(changes, page.next(), page.more());
  }

  private void read(List<String> ids, KeysetPosition after, List<JsonNode> comments) {
    String soql = "SELECT Id, ParentId, CommentBody, CreatedDate FROM CaseComment"
        + " WHERE IsPublished = true AND ParentId IN ("
        + ids.stream().map(SalesforceCrm::literal).collect(Collectors.joining(", ")) + ")"
        + " AND CreatedDate >= " + SOQL_TIME.format(after.modified())
        + " ORDER BY CreatedDate, Id";
    JsonNode batch = api.query(soql, CrmOperation.LIST_CHANGES, b -> b).body();
    batch.path("records").forEach(comments::add);
    while (!batch.path("done").asBoolean(true) && batch.hasNonNull("nextRecordsUrl")) {
      batch = api.nextRecords(batch.get("nextRecordsUrl").asText(), CrmOperation.LIST_CHANGES,
          b -> b).body();
      batch.path("records").forEach(comments::add);
    }
  }

  private static CrmChange withComments(CrmChange change, List<JsonNode> comments) {
    List<String> texts = new ArrayList<>();
    Optional<String> ours = Optional.empty();
    JsonNode last = null;
    for (JsonNode comment : comments) {
      if (!CaseRecord.text(comment, "ParentId").orElse("").equals(change.caseId())
          || CaseRecord.time(comment, "CreatedDate").isAfter(change.modified())) {
        continue;
      }
      String body = CaseRecord.text(comment, "CommentBody").orElse("");
      Matcher m = MARKER.matcher(body);
      if (m.find()) {
        ours = Optional.of(m.group(1));
      } else if (!body.isBlank()) {
        texts.add(body);
        last = comment;
      }
    }
    if (last == null) {
      return ours.isPresent()
          ? new CrmChange(change.modified(), change.crmCase(), Optional.empty(), ours) : change;
    }
    Instant created = CaseRecord.time(last, "CreatedDate");
    CrmNote note = new CrmNote(CaseRecord.text(last, "Id").orElse(change.caseId() + "@" + created),
        String.join("\n\n", texts), created, Optional.empty());
    return new CrmChange(change.modified(), change.crmCase(), Optional.of(note), Optional.empty());
  }
}
