package org.civicsync.crm.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.civicsync.crm.http.AdapterHttp;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.Service;
import org.civicsync.core.spi.AppliedUpdate;
import org.civicsync.core.spi.CaseCreation;
import org.civicsync.core.spi.CaseDetails;
import org.civicsync.core.spi.CaseLookup;
import org.civicsync.core.spi.CaseUpdate;
import org.civicsync.core.spi.CaseUpdates;
import org.civicsync.core.spi.ChangeCursor;
import org.civicsync.core.spi.ChangeFeed;
import org.civicsync.core.spi.ChangePage;
import org.civicsync.core.spi.CreatedCase;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmCase;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.core.spi.NewCase;
import org.civicsync.core.spi.ServiceCatalogue;
import org.civicsync.crm.feed.ChangePages;
import org.civicsync.crm.feed.KeysetPosition;

/**
 * A Salesforce Service Cloud org through the REST API ({@code /services/data/vXX.X/}), on
 * {@code Case}.
 *
 * <p><b>Create</b> is an upsert on an External ID field:
 * {@code PATCH /sobjects/Case/{idempotencyKeyField}/{key}} answers 201 when it created the Case
 * and 200 (204 before API 46.0) when one existed, which it then updates with the same values.
 * <b>Lookup</b> is SOQL on the external reference field. <b>Changes</b> are SOQL keyset pages on
 * ({@code SystemModstamp}, {@code Id}) (see {@link #where}), following
 * {@code nextRecordsUrl} when a page is larger than the query batch size, but not for the one row
 * past the page that tells whether there is more. <b>Notes</b> are
 * {@code CaseComment}s (not published to the portal) carrying a trailing
 * {@code [civicsync:<updateId>]}; every update then stamps its id into the update id field of the
 * Case, which both moves {@code SystemModstamp} (the version) and lets a resend be recognised.
 * <b>Close</b> sets a closed {@code Status}; {@code IsClosed} comes from the org.
 * The feed carries the officers' published {@code CaseComment}s (see {@link PublishedComments}).
 * <b>Services</b> are the active values of the case type picklist, from the Case describe.
 * <b>Location</b>: Case has no place of its own, so a report's location goes to the fields
 * configured for it ({@link SalesforceSettings#location()}), if any, and <b>details</b> read it
 * back with a Case by its Id (see {@link #details}).
 */
public final class SalesforceCrm implements CrmAdapter, CaseCreation, CaseLookup, ChangeFeed,
    CaseUpdates, ServiceCatalogue, CaseDetails {
  private static final int MAX_PAGE = 10_000;
  private static final int SUBJECT_LENGTH = 255;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{15}([A-Za-z0-9]{3})?");
  /** Cursors as {@code sf1:<epoch second>:<Id>}; stored by the engine, so kept as it is. */
  private static final KeysetPosition.Format CURSOR =
      KeysetPosition.Format.epochSeconds("sf1:", id -> id.isEmpty() || isId(id));
  private static final DateTimeFormatter SOQL_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private final String name;
  private final SalesforceSettings settings;
  private final OkHttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final RestApi api;
  private final CaseTypes caseTypes;
  private final PublishedComments comments;

  private SalesforceCrm(String name, SalesforceSettings settings, OkHttpClient http, Clock clock) {
    this.name = name;
    this.settings = settings;
    this.http = http;
    this.api = new RestApi(name, settings, http, json,
        new AccessToken(name, settings, http, json, clock),
        new ApiQuota(settings.quotaCeiling(), settings.quotaPause(), clock));
    this.caseTypes = new CaseTypes(name, settings, api);
    this.comments = new PublishedComments(api);
  }

  public static SalesforceCrm create(String name, SalesforceSettings settings) {
    return create(name, settings, Clock.systemUTC());
  }

  /** With {@code clock} for the JWT's expiry and the quota pause. */
  public static SalesforceCrm create(String name, SalesforceSettings settings, Clock clock) {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(settings, "settings == null");
    Objects.requireNonNull(clock, "clock == null");
    OkHttpClient http =
        AdapterHttp.builder(settings.connectTimeout(), settings.readTimeout()).build();
    return new SalesforceCrm(name, settings, http, clock);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CreatedCase create(NewCase newCase) {
    Objects.requireNonNull(newCase, "newCase == null");
    RestApi.Subject subject = b -> b.externalReference(newCase.externalReference());
    ObjectNode body = json.createObjectNode();
    String description = newCase.report().description().orElse("");
    String subjectLine = newCase.report().title().orElse(description);
    body.put("Subject", subjectLine.length() > SUBJECT_LENGTH
        ? subjectLine.substring(0, SUBJECT_LENGTH) : subjectLine);
    body.put("Description", description);
    body.put("Origin", settings.origin());
    body.put(settings.caseTypeField(), newCase.caseType());
    settings.location().values(newCase.report().location()).forEach((field, value) -> {
      if (value instanceof BigDecimal number) {
        body.put(field, number);
      } else {
        body.put(field, value.toString());
      }
    });
    if (!settings.externalReferenceField().equals(settings.idempotencyKeyField())) {
      body.put(settings.externalReferenceField(), newCase.externalReference());
    }
    newCase.fields().forEach((field, values) -> body.put(field, String.join(";", values)));
    HttpUrl upsert = settings.data().addPathSegments("sobjects/Case")
        .addPathSegment(settings.idempotencyKeyField()).addPathSegment(newCase.idempotencyKey())
        .build();
    RestApi.Answer answer = api.write("PATCH", upsert, body, CrmOperation.CREATE_CASE, subject);
    boolean created = answer.code() == 201;
    // 201 and 200 name the record; a 204 (API before 46.0) does not, so read it by its key.
    HttpUrl record = answer.body().hasNonNull("id")
        ? caseUrl(answer.body().get("id").asText()) : upsert;
    CrmCase state = readCase(record, CrmOperation.CREATE_CASE, subject);
    return new CreatedCase(state.caseId(), state.version(), !created);
  }

  @Override
  public Optional<CrmCase> findByExternalReference(String externalReference) {
    Objects.requireNonNull(externalReference, "externalReference == null");
    String soql = "SELECT " + settings.caseFields() + " FROM Case WHERE "
        + settings.externalReferenceField() + " = " + literal(externalReference)
        + " ORDER BY CreatedDate, Id LIMIT 1";
    JsonNode records = api.query(soql, CrmOperation.FIND_CASE,
        b -> b.externalReference(externalReference)).body().path("records");
    return records.size() == 0
        ? Optional.empty() : Optional.of(CaseRecord.toCase(records.get(0), settings));
  }

  /**
   * The Case's subject, description, location (in the configured fields) and creation time, from
   * {@code GET /sobjects/Case/{id}?fields=Subject,Description,CreatedDate,...} (see
   * {@link CaseRecord#toReport}): the contact and the web-form name, e-mail and phone are never
   * fetched. A 404 ({@code NOT_FOUND}) and an id that is no record id are "no case".
   */
  @Override
  public Optional<Report> details(String caseId) {
    Objects.requireNonNull(caseId, "caseId == null");
    if (!isId(caseId)) {
      return Optional.empty();
    }
    HttpUrl url = caseUrl(caseId).newBuilder()
        .addQueryParameter("fields", CaseRecord.detailFields(settings)).build();
    try {
      return Optional.of(CaseRecord.toReport(
          api.get(url, CrmOperation.FIND_CASE, b -> b.caseId(caseId)).body(), settings));
    } catch (CrmException e) {
      if (e.kind() == CrmException.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public ChangePage changesSince(ChangeCursor cursor, int limit) {
    Objects.requireNonNull(cursor, "cursor == null");
    int size = ChangePages.size(limit, MAX_PAGE);
    KeysetPosition after =
        CURSOR.parse(cursor).orElseThrow(() -> ChangePages.foreignCursor(name, cursor));
    String soql = "SELECT " + settings.caseFields() + " FROM Case WHERE " + where(after)
        + " ORDER BY SystemModstamp, Id LIMIT " + (size + 1); // one more: is there more?
    List<JsonNode> records = new ArrayList<>();
    JsonNode batch = api.query(soql, CrmOperation.LIST_CHANGES, b -> b).body();
    batch.path("records").forEach(records::add);
    // Stop at the page's size: a batch that is not done already says there is more. Fetching
    // the next batch for the one row past the page would double the calls per page whenever the
    // page size is a multiple of the batch size. The query cursor left open costs nothing: open
    // cursors are not limited since API 56.0, for every API version, and expire after two days.
    while (!batch.path("done").asBoolean(true) && records.size() < size
        && batch.hasNonNull("nextRecordsUrl")) {
      batch = api.nextRecords(batch.get("nextRecordsUrl").asText(), CrmOperation.LIST_CHANGES,
          b -> b).body();
      batch.path("records").forEach(records::add);
    }
    ChangePage page =
        ChangePages.of(records, size, row -> CaseRecord.toCase(row, settings), cursor, CURSOR);
    boolean unread = !batch.path("done").asBoolean(true);
    return comments.attach(
        unread && !page.more() ? new ChangePage(page.changes(), page.next(), true) : page, after);
  }

  /** The active values of the case type picklist (see {@link CaseTypes}). */
  @Override
  public List<Service> services() {
    return caseTypes.services();
  }

  @Override
  public ChangeCursor cursorAt(Instant time) {
    return CURSOR.toCursor(KeysetPosition.from(Objects.requireNonNull(time, "time == null")));
  }

  /**
   * The WHERE clause (without the keyword) for every Case at or after {@code after} in the
   * keyset ({@code SystemModstamp}, {@code Id}):
   *
   * <pre>
   * SystemModstamp &gt;= T AND (SystemModstamp &gt; T OR Id &gt; 'X')
   * </pre>
   *
   * {@code SystemModstamp} is stored to the second, so many Cases share one; the {@code Id}
   * (comparable in SOQL, as PK chunking uses it) breaks the tie, and an empty Id means the whole
   * second (see {@link KeysetPosition}). No OFFSET: it skips rows when the set shifts, and SOQL
   * caps it at 2,000 anyway.
   */
  static String where(KeysetPosition after) {
    String t = SOQL_TIME.format(after.modified());
    if (after.fromStart()) {
      return "SystemModstamp >= " + t;
    }
    // The id is checked against ID when the cursor is read: it cannot close the quote.
    return "SystemModstamp >= " + t + " AND (SystemModstamp > " + t + " OR Id > '" + after.id()
        + "')";
  }

  /** Whether {@code value} is a 15- or 18-character Salesforce record id. */
  static boolean isId(String value) {
    return ID.matcher(value).matches();
  }

  @Override
  public AppliedUpdate apply(CaseUpdate update) {
    Objects.requireNonNull(update, "update == null");
    RestApi.Subject subject = b -> b.caseId(update.caseId());
    if (!isId(update.caseId())) {
      throw subject.apply(CrmException.of(CrmException.Kind.NOT_FOUND, name,
          CrmOperation.APPLY_UPDATE)).detail("not a Salesforce record id").build();
    }
    HttpUrl record = caseUrl(update.caseId());
    JsonNode now = api.get(withFields(record), CrmOperation.APPLY_UPDATE, subject).body();
    if (CaseRecord.updateId(now, settings).filter(update.updateId()::equals).isPresent()) {
      return new AppliedUpdate(CaseRecord.toCase(now, settings).version(), true);
    }
    // The comment goes first and carries the update id: if the Case's stamp below is lost, the
    // resend finds the comment and does not write it twice.
    if (update.note().isPresent() && !commentExists(update, subject)) {
      ObjectNode comment = json.createObjectNode()
          .put("ParentId", update.caseId())
          .put("CommentBody", update.note().get() + "\n" + marker(update.updateId()))
          .put("IsPublished", false);
      api.write("POST", settings.data().addPathSegments("sobjects/CaseComment").build(), comment,
          CrmOperation.APPLY_UPDATE, subject);
    }
    ObjectNode stamp = json.createObjectNode().put(settings.updateIdField(), update.updateId());
    Optional<String> status = update.closes()
        ? Optional.of(update.statusCode().orElse(settings.closedStatus())) : update.statusCode();
    status.ifPresent(s -> stamp.put("Status", s));
    api.write("PATCH", record, stamp, CrmOperation.APPLY_UPDATE, subject);
    return new AppliedUpdate(readCase(record, CrmOperation.APPLY_UPDATE, subject).version(), false);
  }

  private boolean commentExists(CaseUpdate update, RestApi.Subject subject) {
    // CommentBody is a long text area, which SOQL cannot filter on: read the Case's comments.
    String soql = "SELECT Id, CommentBody FROM CaseComment WHERE ParentId = "
        + literal(update.caseId()) + " ORDER BY CreatedDate, Id";
    String marker = marker(update.updateId());
    JsonNode batch = api.query(soql, CrmOperation.APPLY_UPDATE, subject).body();
    while (true) {
      for (JsonNode comment : batch.path("records")) {
        if (comment.path("CommentBody").asText("").contains(marker)) {
          return true;
        }
      }
      if (batch.path("done").asBoolean(true) || !batch.hasNonNull("nextRecordsUrl")) {
        return false;
      }
      batch = api.nextRecords(batch.get("nextRecordsUrl").asText(), CrmOperation.APPLY_UPDATE,
          subject).body();
    }
  }

  private CrmCase readCase(HttpUrl record, CrmOperation operation, RestApi.Subject subject) {
    return CaseRecord.toCase(api.get(withFields(record), operation, subject).body(), settings);
  }

  private HttpUrl caseUrl(String id) {
    return settings.data().addPathSegments("sobjects/Case").addPathSegment(id).build();
  }

  private HttpUrl withFields(HttpUrl record) {
    return record.newBuilder()
        .addQueryParameter("fields", settings.caseFields().replace(" ", "")).build();
  }

  static String marker(String updateId) {
    return "[civicsync:" + updateId + "]";
  }

  /** A SOQL string literal, with the documented escapes. */
  static String literal(String value) {
    StringBuilder b = new StringBuilder("'");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '\'' -> b.append("\\'");
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> b.append(c);
      }
    }
    return b.append('\'').toString();
  }

  @Override
  public void close() {
    AdapterHttp.release(http);
  }

  @Override
  public String toString() {
    return "SalesforceCrm[" + name + ", " + settings.instance() + ", v" + settings.apiVersion()
        + ", login=" + settings.login() + "]";
  }
}
