package org.civicsync.crm.servicenow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
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
 * A ServiceNow instance through the Table API, on {@code incident} or
 * {@code sn_customerservice_case}.
 *
 * <p><b>External reference.</b> {@code correlation_id} holds it ({@code correlation_display}
 * names CivicSync). The Table API has no upsert: {@code POST /api/now/table/{table}} always
 * inserts, and the insert-or-update of the Import Set API needs a transform map with a coalesce
 * field set up on the instance. So create looks up {@code correlation_id} first and posts only
 * when nothing is there. The gap between the two is harmless here, since the engine creates one
 * case per report at a time; a lost answer to the POST is {@code OUTCOME_UNKNOWN}, which the
 * engine settles with the same lookup.
 *
 * <p><b>Versions</b> are {@code sys_mod_count}. <b>Notes</b> go to {@code work_notes} or
 * {@code comments} with a trailing {@code [civicsync:<updateId>]}; before writing, the adapter
 * looks for that marker in {@code sys_journal_field} (the integration user needs read on it).
 * A status or close already in place is not written again. The feed lists case changes (a note
 * shows as a new {@code sys_mod_count}) with the officers' customer-visible {@code comments}
 * written since the page's start (see {@link PublicComments}); work notes stay internal.
 *
 * <p><b>Services</b> are the active {@code sys_choice} values of the category field.
 * <b>Location</b>: the tables have no latitude or longitude, so a report's location goes to the
 * fields configured for it ({@link ServiceNowSettings#location()}), if any, and
 * <b>details</b> read it back with a record by {@code sys_id} (see {@link #details}).
 */
public final class ServiceNowCrm implements CrmAdapter, CaseCreation, CaseLookup, ChangeFeed,
    CaseUpdates, ServiceCatalogue, CaseDetails {
  private static final int MAX_PAGE = 1000;
  /** Cursors as {@code sn1:<epoch second>:<sys_id>}; stored by the engine, so kept as it is. */
  private static final KeysetPosition.Format CURSOR =
      KeysetPosition.Format.epochSeconds("sn1:", id -> id.matches("[0-9a-f]{0,32}"));
  private static final Pattern SYS_ID = Pattern.compile("[0-9a-f]{32}");
  private static final DateTimeFormatter QUERY_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final String name;
  private final ServiceNowSettings settings;
  private final OkHttpClient http;
  private final TableApi api;
  private final PublicComments comments;
  private final ChoiceList choices;

  private ServiceNowCrm(String name, ServiceNowSettings settings, OkHttpClient http) {
    this.name = name;
    this.settings = settings;
    this.http = http;
    ObjectMapper json = new ObjectMapper();
    this.api = new TableApi(name, http, json, new IntegrationUser(name, settings, http, json));
    this.comments = new PublicComments(settings, api);
    this.choices = new ChoiceList(name, settings, api);
  }

  /** An adapter named {@code name}; it owns the connections of {@code http}'s pool it opens. */
  public static ServiceNowCrm create(String name, ServiceNowSettings settings) {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(settings, "settings == null");
    OkHttpClient http =
        AdapterHttp.builder(settings.connectTimeout(), settings.readTimeout()).build();
    return new ServiceNowCrm(name, settings, http);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CreatedCase create(NewCase newCase) {
    Objects.requireNonNull(newCase, "newCase == null");
    Optional<CrmCase> existing = findByExternalReference(newCase.externalReference());
    if (existing.isPresent()) {
      return new CreatedCase(existing.get().caseId(), existing.get().version(), true);
    }
    ObjectNode body = new ObjectMapper().createObjectNode();
    String description = newCase.report().description().orElse("");
    body.put("short_description", newCase.report().title()
        .orElse(description.length() > 160 ? description.substring(0, 160) : description));
    body.put("description", description);
    body.put(settings.categoryField(), newCase.caseType());
    body.put("correlation_id", newCase.externalReference());
    body.put("correlation_display", "CivicSync");
    settings.location().values(newCase.report().location()).forEach((field, value) -> body.put(
        field, value instanceof BigDecimal d ? d.toPlainString() : value.toString()));
    newCase.fields().forEach((field, values) -> body.put(field, String.join(",", values)));
    JsonNode created = api.write("POST", read(settings.tableUrl()).build(), body,
        CrmOperation.CREATE_CASE, b -> b.externalReference(newCase.externalReference()));
    CrmCase state = CaseRecord.toCase(created, settings);
    return new CreatedCase(state.caseId(), state.version(), false);
  }

  @Override
  public Optional<CrmCase> findByExternalReference(String externalReference) {
    Objects.requireNonNull(externalReference, "externalReference == null");
    HttpUrl url = read(settings.tableUrl())
        .addQueryParameter("sysparm_query",
            "correlation_id=" + literal(externalReference) + "^ORDERBYsys_created_on")
        .addQueryParameter("sysparm_limit", "1")
        .build();
    JsonNode result = api.get(url, CrmOperation.FIND_CASE, b -> b.externalReference(externalReference));
    return result.size() == 0
        ? Optional.empty() : Optional.of(CaseRecord.toCase(result.get(0), settings));
  }

  /**
   * The record's title, description, location (in the configured fields) and creation time,
   * from {@code GET /api/now/table/{table}/{sys_id}} with only those fields (see
   * {@link CaseRecord#toReport}): the caller's details are never fetched. A 404 (no record, or
   * one the integration user's ACLs hide) and an id that is no {@code sys_id} are "no case".
   */
  @Override
  public Optional<Report> details(String caseId) {
    Objects.requireNonNull(caseId, "caseId == null");
    if (!SYS_ID.matcher(caseId).matches()) {
      return Optional.empty();
    }
    HttpUrl url = settings.tableUrl().newBuilder().addPathSegment(caseId)
        .addQueryParameter("sysparm_display_value", "false")
        .addQueryParameter("sysparm_exclude_reference_link", "true")
        .addQueryParameter("sysparm_fields", CaseRecord.detailFields(settings))
        .build();
    try {
      return Optional.of(CaseRecord.toReport(
          api.get(url, CrmOperation.FIND_CASE, b -> b.caseId(caseId)), settings));
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
    HttpUrl url = read(settings.tableUrl())
        .addQueryParameter("sysparm_query", query(after, settings.userTimeZone()))
        .addQueryParameter("sysparm_limit", Integer.toString(size + 1)) // one more: is there more?
        .addQueryParameter("sysparm_no_count", "true")
        .build();
    JsonNode result = api.get(url, CrmOperation.LIST_CHANGES, b -> b);
    List<JsonNode> rows = new ArrayList<>();
    for (int i = 0; i < result.size(); i++) {
      rows.add(result.get(i));
    }
    return comments.attach(
        ChangePages.of(rows, size, row -> CaseRecord.toCase(row, settings), cursor, CURSOR), after);
  }

  /** The active choices of the category field, from {@code sys_choice} (see {@link ChoiceList}). */
  @Override
  public List<Service> services() {
    return choices.services();
  }

  @Override
  public ChangeCursor cursorAt(Instant time) {
    return CURSOR.toCursor(KeysetPosition.from(Objects.requireNonNull(time, "time == null")));
  }

  /**
   * The encoded query for every record at or after {@code after} in the keyset
   * ({@code sys_updated_on}, {@code sys_id}), oldest first:
   *
   * <pre>
   * sys_updated_on&gt;T^NQsys_updated_on=T^sys_id&gt;ID^ORDERBYsys_updated_on^ORDERBYsys_id
   * </pre>
   *
   * ({@code ^NQ} is the encoded query's top-level OR). {@code sys_updated_on} has one-second
   * precision, so many records share a time and the {@code sys_id} breaks the tie; an empty id
   * means the whole second (see {@link KeysetPosition}). Literal times are written in the
   * integration user's zone, as the instance reads them.
   */
  static String query(KeysetPosition after, ZoneId userZone) {
    String t = QUERY_TIME.format(after.modified().atZone(userZone));
    String order = "^ORDERBYsys_updated_on^ORDERBYsys_id";
    if (after.fromStart()) {
      return "sys_updated_on>=" + t + order;
    }
    return "sys_updated_on>" + t + "^NQsys_updated_on=" + t + "^sys_id>" + after.id() + order;
  }

  @Override
  public AppliedUpdate apply(CaseUpdate update) {
    return new CaseUpdateWriter(settings, api).apply(Objects.requireNonNull(update, "update == null"));
  }

  @Override
  public void close() {
    AdapterHttp.release(http);
  }

  @Override
  public String toString() {
    return "ServiceNowCrm[" + name + ", " + settings.instance() + ", table=" + settings.table()
        + ", login=" + settings.login() + "]";
  }

  /** A Table API URL that answers stored values (UTC times, state numbers) and only our fields. */
  HttpUrl.Builder read(HttpUrl url) {
    return readUrl(url, settings);
  }

  static HttpUrl.Builder readUrl(HttpUrl url, ServiceNowSettings settings) {
    return url.newBuilder()
        .addQueryParameter("sysparm_display_value", "false")
        .addQueryParameter("sysparm_exclude_reference_link", "true")
        .addQueryParameter("sysparm_fields", CaseRecord.fields(settings));
  }

  /** A value inside an encoded query: {@code ^} separates terms, so it is doubled. */
  static String literal(String value) {
    return value.replace("^", "^^");
  }
}
