package org.civicsync.crm.dynamics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.civicsync.core.model.Report;
import org.civicsync.crm.http.AdapterHttp;
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
import org.civicsync.core.spi.CrmChange;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.core.spi.NewCase;
import org.civicsync.crm.feed.ChangePages;
import org.civicsync.crm.feed.KeysetPosition;

/**
 * A Dynamics 365 Customer Service environment through the Dataverse Web API
 * ({@code /api/data/v9.2/}), on {@code incident}, signed in with Entra ID client credentials.
 *
 * <p><b>Create</b> is a create-only upsert on an alternate key:
 * {@code PATCH incidents(new_externalreference='<ref>')} with {@code If-None-Match: *}, which
 * creates the row or answers 412 when one has that key; then the existing case is read and
 * answered as such, never overwritten. <b>Lookup</b> reads by the same alternate key (404 is "none").
 * <b>Changes</b> are keyset pages on ({@code modifiedon}, {@code incidentid}) (see {@link #filter}),
 * with {@code Prefer: odata.maxpagesize} and {@code @odata.nextLink} followed as given.
 * With {@code change_tracking}, once the keyset has caught up the feed reads Dataverse change
 * tracking instead ({@code Prefer: odata.track-changes}, {@code @odata.deltaLink}), which is
 * cheaper than a filtered query on a large table.
 * <b>Updates</b>, see {@link IncidentUpdateWriter}: notes are {@code annotations}, status changes
 * are PATCHes with {@code If-Match} on the ETag, a close is the {@code CloseIncident} action.
 * <b>Location</b>: {@code incident} has no place of its own, so a report's location goes to the
 * columns configured for it ({@link DynamicsSettings#location()}), if any, and <b>details</b>
 * read it back with an incident by its id (see {@link #details}).
 */
public final class DynamicsCrm
    implements CrmAdapter, CaseCreation, CaseLookup, ChangeFeed, CaseUpdates, CaseDetails {
  private static final int TITLE_LENGTH = 200;
  /** Cursors as {@code dv1:<epoch second>:<incidentid>}; stored by the engine, so kept as it is. */
  private static final KeysetPosition.Format CURSOR = KeysetPosition.Format.epochSeconds("dv1:",
      id -> id.isEmpty() || DynamicsSettings.GUID.matcher(id).matches());
  /** Change tracking cursors: {@code dvt1:<epoch second>|<link>}, see {@link #deltaPage}. */
  private static final String DELTA = "dvt1:";
  private static final DateTimeFormatter ODATA_TIME = DateTimeFormatter.ISO_INSTANT;

  private final String name;
  private final DynamicsSettings settings;
  private final OkHttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final WebApi api;

  private DynamicsCrm(String name, DynamicsSettings settings, OkHttpClient http, Clock clock) {
    this.name = name;
    this.settings = settings;
    this.http = http;
    this.api = new WebApi(name, http, json,
        new EntraToken(name, settings.login(), http, json, clock));
  }

  public static DynamicsCrm create(String name, DynamicsSettings settings) {
    return create(name, settings, Clock.systemUTC());
  }

  /** With {@code clock} for the token's expiry. */
  public static DynamicsCrm create(String name, DynamicsSettings settings, Clock clock) {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(settings, "settings == null");
    Objects.requireNonNull(clock, "clock == null");
    OkHttpClient http =
        AdapterHttp.builder(settings.connectTimeout(), settings.readTimeout()).build();
    return new DynamicsCrm(name, settings, http, clock);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CreatedCase create(NewCase newCase) {
    Objects.requireNonNull(newCase, "newCase == null");
    WebApi.Subject subject = b -> b.externalReference(newCase.externalReference());
    ObjectNode body = json.createObjectNode();
    String description = newCase.report().description().orElse("");
    String title = newCase.report().title().orElse(description);
    body.put("title", title.length() > TITLE_LENGTH ? title.substring(0, TITLE_LENGTH) : title);
    body.put("description", description);
    body.put("caseorigincode", settings.caseOriginCode());
    body.put(settings.caseTypeColumn(), newCase.caseType());
    body.put(settings.customerBinding(), "/" + settings.customer());
    settings.location().values(newCase.report().location()).forEach((column, value) -> {
      if (value instanceof BigDecimal number) {
        body.put(column, number);
      } else {
        body.put(column, value.toString());
      }
    });
    newCase.fields().forEach((field, values) -> body.put(field, String.join(",", values)));
    HttpUrl byKey = select(byReference(newCase.externalReference()));
    // If-None-Match: * makes the upsert create-only: an existing case answers 412, unchanged.
    WebApi.Answer answer = api.write("PATCH", byKey, body,
        Map.of("If-None-Match", "*", "Prefer", "return=representation"),
        CrmOperation.CREATE_CASE, subject);
    if (answer.code() == 412) {
      JsonNode existing = api.ok(api.get(byKey, Map.of(), CrmOperation.CREATE_CASE, subject),
          CrmOperation.CREATE_CASE, subject).body();
      CrmCase state = IncidentRecord.toCase(existing, settings);
      return new CreatedCase(state.caseId(), state.version(), true);
    }
    api.ok(answer, CrmOperation.CREATE_CASE, subject);
    JsonNode created = answer.body().hasNonNull("incidentid") ? answer.body()
        // 204: the representation was not returned; the row is there, read it by its key.
        : api.ok(api.get(byKey, Map.of(), CrmOperation.CREATE_CASE, subject),
            CrmOperation.CREATE_CASE, subject).body();
    CrmCase state = IncidentRecord.toCase(created, settings);
    return new CreatedCase(state.caseId(), state.version(), false);
  }

  @Override
  public Optional<CrmCase> findByExternalReference(String externalReference) {
    Objects.requireNonNull(externalReference, "externalReference == null");
    WebApi.Subject subject = b -> b.externalReference(externalReference);
    WebApi.Answer answer = api.get(select(byReference(externalReference)), Map.of(),
        CrmOperation.FIND_CASE, subject);
    // 0x8006088a is "Resource not found for the segment": a wrong entity set, not a missing row.
    if (answer.code() == 404 && !answer.errorCode().equalsIgnoreCase("0x8006088a")) {
      return Optional.empty();
    }
    return Optional.of(IncidentRecord.toCase(
        api.ok(answer, CrmOperation.FIND_CASE, subject).body(), settings));
  }

  /**
   * The incident's title, description, location (in the configured columns) and creation time,
   * from {@code GET incidents(<incidentid>)?$select=title,description,createdon,...} (see
   * {@link IncidentRecord#toReport}): the customer and contact columns are never fetched. A 404
   * for the row and an id that is no GUID are "no case"; a 404 for the segment (a wrong entity
   * set) is a failure, as in {@link #findByExternalReference}.
   */
  @Override
  public Optional<Report> details(String caseId) {
    Objects.requireNonNull(caseId, "caseId == null");
    if (!DynamicsSettings.GUID.matcher(caseId).matches()) {
      return Optional.empty();
    }
    WebApi.Subject subject = b -> b.caseId(caseId);
    HttpUrl url = settings.api().addPathSegment("incidents(" + caseId + ")")
        .addEncodedQueryParameter("$select", IncidentRecord.detailColumns(settings)).build();
    WebApi.Answer answer = api.get(url, Map.of(), CrmOperation.FIND_CASE, subject);
    if (answer.code() == 404 && !answer.errorCode().equalsIgnoreCase("0x8006088a")) {
      return Optional.empty();
    }
    return Optional.of(IncidentRecord.toReport(
        api.ok(answer, CrmOperation.FIND_CASE, subject).body(), settings));
  }

  @Override
  public ChangePage changesSince(ChangeCursor cursor, int limit) {
    Objects.requireNonNull(cursor, "cursor == null");
    int size = ChangePages.size(limit, DynamicsSettings.MAX_PAGE_SIZE - 1);
    if (cursor.value().startsWith(DELTA)) {
      return deltaPage(cursor, size);
    }
    KeysetPosition after =
        CURSOR.parse(cursor).orElseThrow(() -> ChangePages.foreignCursor(name, cursor));
    ChangePage page = keysetPage(cursor, after, size);
    if (!settings.changeTracking() || page.more()) {
      return page;
    }
    // Caught up: change to change tracking. The token comes first and the keyset is read
    // again after it, so a change made between the two reads is in the second read or after
    // the token, never lost between them.
    String deltaLink = trackingStart();
    page = keysetPage(cursor, after, size);
    if (page.more()) {
      return page; // more came in meanwhile: finish them by keyset, change over on a later call
    }
    Instant seen = page.changes().stream().map(CrmChange::modified).max(Instant::compareTo)
        .orElse(after.modified());
    return new ChangePage(page.changes(), deltaCursor(seen, deltaLink), false);
  }

  private ChangePage keysetPage(ChangeCursor cursor, KeysetPosition after, int size) {
    HttpUrl url = settings.api().addPathSegment("incidents")
        .addEncodedQueryParameter("$select", IncidentRecord.select(settings))
        .addEncodedQueryParameter("$filter", encode(filter(after)))
        .addEncodedQueryParameter("$orderby", encode("modifiedon asc,incidentid asc"))
        .build();
    // One row more than the page: whether there is more is known without a count.
    Map<String, String> prefer =
        Map.of("Prefer", "odata.maxpagesize=" + Math.min(settings.pageSize(), size + 1));
    WebApi.Subject subject = b -> b;
    List<JsonNode> rows = new ArrayList<>();
    JsonNode page = api.ok(api.get(url, prefer, CrmOperation.LIST_CHANGES, subject),
        CrmOperation.LIST_CHANGES, subject).body();
    page.path("value").forEach(rows::add);
    // Stop at the page's size: a full page with a next link already says there is more. Reading
    // the next link for the one row past the page would double the requests per page whenever
    // page_size is not above the engine's page (the default 500 is the engine's default too).
    // The next page starts from this one's last row by keyset, so nothing is skipped.
    while (rows.size() < size && page.hasNonNull("@odata.nextLink")) {
      HttpUrl next = onEnvironment(page.get("@odata.nextLink").asText(), "@odata.nextLink");
      page = api.ok(api.get(next, prefer, CrmOperation.LIST_CHANGES, subject),
          CrmOperation.LIST_CHANGES, subject).body();
      page.path("value").forEach(rows::add);
    }
    ChangePage answered =
        ChangePages.of(rows, size, row -> IncidentRecord.toCase(row, settings), cursor, CURSOR);
    boolean unread = page.hasNonNull("@odata.nextLink");
    return unread && !answered.more()
        ? new ChangePage(answered.changes(), answered.next(), true) : answered;
  }

  /**
   * The {@code @odata.deltaLink} of a change tracking read of every incident: the initial
   * synchronisation is paged through and its rows dropped, since the keyset read covers them.
   */
  private String trackingStart() {
    WebApi.Subject subject = b -> b;
    Map<String, String> prefer = Map.of("Prefer",
        "odata.track-changes,odata.maxpagesize=" + DynamicsSettings.MAX_PAGE_SIZE);
    HttpUrl url = settings.api().addPathSegment("incidents")
        .addEncodedQueryParameter("$select", IncidentRecord.select(settings)).build();
    while (true) {
      JsonNode page = api.ok(api.get(url, prefer, CrmOperation.LIST_CHANGES, subject),
          CrmOperation.LIST_CHANGES, subject).body();
      if (page.hasNonNull("@odata.deltaLink")) {
        onEnvironment(page.get("@odata.deltaLink").asText(), "@odata.deltaLink");
        return page.get("@odata.deltaLink").asText();
      }
      if (!page.hasNonNull("@odata.nextLink")) {
        throw CrmException.of(CrmException.Kind.PERMANENT, name, CrmOperation.LIST_CHANGES)
            .detail("change tracking answered no @odata.deltaLink: is \"Track changes\" enabled"
                + " on the Case table?").build();
      }
      url = onEnvironment(page.get("@odata.nextLink").asText(), "@odata.nextLink");
    }
  }

  /**
   * A page of changes since a delta token ({@code @odata.deltaLink}) or within one
   * ({@code @odata.nextLink}). Deleted incidents ({@code $deletedEntity}) are skipped: the
   * SPI has no deletion. When Dataverse no longer accepts the token (it keeps change tracking
   * data for a limited time), the feed goes back to the keyset from the newest change seen.
   */
  private ChangePage deltaPage(ChangeCursor cursor, int size) {
    String rest = cursor.value().substring(DELTA.length());
    int bar = rest.indexOf('|');
    Instant seen;
    HttpUrl url;
    try {
      seen = Instant.ofEpochSecond(Long.parseLong(rest.substring(0, bar)));
      url = onEnvironment(rest.substring(bar + 1), "delta cursor");
    } catch (RuntimeException e) {
      throw ChangePages.foreignCursor(name, cursor);
    }
    WebApi.Subject subject = b -> b;
    WebApi.Answer answer = api.get(url, Map.of("Prefer",
        "odata.track-changes,odata.maxpagesize=" + Math.min(settings.pageSize(), size)),
        CrmOperation.LIST_CHANGES, subject);
    if (answer.code() == 400 || answer.code() == 410 || answer.code() == 422) {
      return changesSince(cursorAt(seen), size);
    }
    JsonNode page = api.ok(answer, CrmOperation.LIST_CHANGES, subject).body();
    List<CrmChange> changes = new ArrayList<>();
    for (JsonNode row : page.path("value")) {
      if (row.hasNonNull("incidentid")) { // a deleted one is {"id":…,"reason":"deleted"}
        CrmCase state = IncidentRecord.toCase(row, settings);
        changes.add(new CrmChange(state.modified(), state, Optional.empty(), Optional.empty()));
      }
    }
    changes.sort(Comparator.comparing(CrmChange::modified).thenComparing(CrmChange::caseId));
    if (page.hasNonNull("@odata.nextLink")) {
      return new ChangePage(changes, deltaCursor(seen, page.get("@odata.nextLink").asText()), true);
    }
    if (changes.isEmpty() || !page.hasNonNull("@odata.deltaLink")) {
      return new ChangePage(changes, cursor, false);
    }
    Instant newest = changes.get(changes.size() - 1).modified();
    return new ChangePage(changes, deltaCursor(newest.isAfter(seen) ? newest : seen,
        page.get("@odata.deltaLink").asText()), false);
  }

  /** {@code dvt1:<epoch second of the newest change seen>|<delta or next link>}. */
  private static ChangeCursor deltaCursor(Instant seen, String link) {
    return ChangeCursor.of(DELTA + seen.getEpochSecond() + "|" + link);
  }

  @Override
  public ChangeCursor cursorAt(Instant time) {
    return CURSOR.toCursor(KeysetPosition.from(Objects.requireNonNull(time, "time == null")));
  }

  /**
   * The {@code $filter} for every incident at or after {@code after} in the keyset
   * ({@code modifiedon}, {@code incidentid}):
   *
   * <pre>
   * modifiedon ge T and (modifiedon gt T or incidentid gt ID)
   * </pre>
   *
   * Dataverse keeps {@code modifiedon} to the second, so several rows share one; the
   * {@code incidentid} breaks the tie, compared and ordered by the same server ({@code $orderby
   * modifiedon asc,incidentid asc}), so the two agree whatever order GUIDs have there. An empty
   * id means the whole second (see {@link KeysetPosition}). {@code $skip} is not supported by
   * Dataverse and would skip rows when the set shifts anyway.
   */
  static String filter(KeysetPosition after) {
    String t = ODATA_TIME.format(after.modified().truncatedTo(ChronoUnit.SECONDS));
    if (after.fromStart()) {
      return "modifiedon ge " + t;
    }
    // The id was checked against the GUID pattern when the cursor was read.
    return "modifiedon ge " + t + " and (modifiedon gt " + t + " or incidentid gt "
        + after.id() + ")";
  }

  @Override
  public AppliedUpdate apply(CaseUpdate update) {
    Objects.requireNonNull(update, "update == null");
    return new IncidentUpdateWriter(name, settings, api, json).apply(update);
  }

  /** {@code incidents(<key column>='<reference>')}, the quote doubled as OData escapes it. */
  private HttpUrl.Builder byReference(String externalReference) {
    return settings.api().addPathSegment("incidents(" + settings.alternateKeyColumn() + "='"
        + externalReference.replace("'", "''") + "')");
  }

  HttpUrl select(HttpUrl.Builder record) {
    return record.addEncodedQueryParameter("$select", IncidentRecord.select(settings)).build();
  }

  /** A link Dataverse answered, used as given but only on this environment. */
  private HttpUrl onEnvironment(String link, String what) {
    HttpUrl url = HttpUrl.parse(link);
    if (url == null || !url.host().equals(settings.environment().host())
        || url.port() != settings.environment().port()) {
      throw CrmException.of(CrmException.Kind.PERMANENT, name, CrmOperation.LIST_CHANGES)
          .detail(what + " is not on the environment: " + link).build();
    }
    return url;
  }

  /**
   * A query option value percent-encoded, leaving the characters OData's examples show bare
   * ({@code $ ( ) , ' :}) as they are.
   */
  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")
        .replace("%24", "$").replace("%28", "(").replace("%29", ")").replace("%2C", ",")
        .replace("%27", "'").replace("%3A", ":");
  }

  @Override
  public void close() {
    AdapterHttp.release(http);
  }

  @Override
  public String toString() {
    return "DynamicsCrm[" + name + ", " + settings.environment() + ", v" + settings.apiVersion()
        + ", login=" + settings.login() + "]";
  }
}
