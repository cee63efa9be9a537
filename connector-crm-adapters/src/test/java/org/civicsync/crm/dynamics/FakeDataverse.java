package org.civicsync.crm.dynamics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.civicsync.open311.codec.FormFields;

/**
 * A Dataverse environment and its Entra ID tenant behind WireMock, answering as Microsoft
 * documents them. Only what the adapter uses is here:
 *
 * <ul>
 *   <li>{@code POST /{tenant}/oauth2/v2.0/token}, client credentials: {@code {"token_type":
 *       "Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":…}}, or 401
 *       {@code {"error":"invalid_client","error_description":"AADSTS7000215: Invalid client
 *       secret provided. …","error_codes":[7000215],…}}.
 *   <li>{@code /api/data/v9.2/incidents}: rows with {@code @odata.etag} {@code W/"<versionnumber>"},
 *       {@code modifiedon} to the second; {@code $select}, {@code $filter} (eq ne gt ge lt le, and,
 *       or, parentheses; date-times, GUIDs, quoted strings with {@code ''}, numbers),
 *       {@code $orderby}; {@code Prefer: odata.maxpagesize=N} answered with
 *       {@code Preference-Applied} and an {@code @odata.nextLink} carrying a {@code $skiptoken}
 *       paging cookie.
 *   <li>Change tracking: {@code Prefer: odata.track-changes} answers every row (no
 *       {@code $filter} or {@code $orderby}) and, after the last page, an {@code @odata.deltaLink}
 *       with {@code $deltatoken=<row version>!<MM/dd/yyyy HH:mm:ss>}; the delta link answers the
 *       rows written since, and deleted ones as {@code {"id":…,"reason":"deleted"}}, with
 *       {@code @odata.context} ending {@code /$delta}.
 *   <li>{@code PATCH incidents(<guid>)} and {@code incidents(<key>='<value>')}: an upsert; with
 *       {@code If-None-Match: *} create-only (412 "A record with matching key values already
 *       exists."), with {@code If-Match: *} update-only (404), with {@code If-Match: <etag>}
 *       optimistic (412 "The version of the existing record doesn't match the RowVersion
 *       property provided."); 201/200 with the row for {@code Prefer: return=representation},
 *       else 204 with {@code OData-EntityId}. A resolved or cancelled incident refuses changes
 *       other than a reopen.
 *   <li>{@code POST annotations} with {@code objectid_incident@odata.bind}; {@code GET
 *       annotations} filtered on {@code _objectid_value} and {@code subject}.
 *   <li>{@code POST CloseIncident} with {@code IncidentResolution} and {@code Status}: 204.
 *   <li>Errors as {@code {"error":{"code":"0x…","message":"…"}}}; 401 with
 *       {@code WWW-Authenticate} and no body for a missing or refused token.
 * </ul>
 *
 * Every row write takes the next value of one environment-wide row version, as Dataverse's
 * {@code versionnumber} does. Adding an annotation does not change the incident.
 */
final class FakeDataverse implements ResponseDefinitionTransformerV2 {
  static final String NAME = "dataverse-environment";
  static final String API = "/api/data/v9.2/";
  static final String KEY_COLUMN = "new_externalreference";
  private static final Pattern KEYED = Pattern.compile("([a-zA-Z]+)\\((.*)\\)");
  private static final Pattern GUID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern BIND = Pattern.compile("/?(incidents|accounts|contacts)\\((" + GUID + ")\\)");
  private static final Set<Integer> RESOLVED = Set.of(5, 1000);

  private final ObjectMapper json = new ObjectMapper();
  private final Random random = new Random(365);
  private final String tenant;
  private final String clientId;
  private final String clientSecret;
  private final List<ObjectNode> incidents = new ArrayList<>();
  private final List<ObjectNode> annotations = new ArrayList<>();
  private final List<ObjectNode> resolutions = new ArrayList<>();
  private final List<ObjectNode> tombstones = new ArrayList<>();
  private final Map<String, Pending> pagingCookies = new LinkedHashMap<>();
  private final Set<String> validTokens = new HashSet<>();
  private Instant now = Instant.parse("2024-07-01T09:00:00Z");
  private long rowVersion = 7_204_000;
  private int tokensIssued;
  private int ticketNumbers = 1000;

  FakeDataverse(String tenant, String clientId, String clientSecret) {
    this.tenant = tenant;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
  }

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public boolean applyGlobally() {
    return false;
  }

  synchronized int tokensIssued() {
    return tokensIssued;
  }

  /** Every token handed out so far stops working, as at the end of its lifetime. */
  synchronized void expireTokens() {
    validTokens.clear();
  }

  synchronized void advance(long seconds) {
    now = now.plusSeconds(seconds);
  }

  /** An incident raised in Dynamics itself, by an officer, at the environment's current second. */
  synchronized ObjectNode insertIncident(Map<String, ?> columns) {
    ObjectNode row = json.createObjectNode();
    row.put("incidentid", newGuid());
    row.put("ticketnumber", "CAS-" + (++ticketNumbers) + "-X7Q2L9");
    row.put("statecode", 0);
    row.put("statuscode", 1);
    row.put("createdon", stamp());
    columns.forEach((k, v) -> row.set(k, json.valueToTree(v)));
    touch(row);
    incidents.add(row);
    return row;
  }

  synchronized List<ObjectNode> incidents() {
    return incidents.stream().map(ObjectNode::deepCopy).toList();
  }

  synchronized List<ObjectNode> annotations() {
    return annotations.stream().map(ObjectNode::deepCopy).toList();
  }

  synchronized List<ObjectNode> resolutions() {
    return resolutions.stream().map(ObjectNode::deepCopy).toList();
  }

  /** Changes a row as an officer would, moving its version (for concurrency tests). */
  synchronized void officerEdits(String incidentId, String column, String value) {
    ObjectNode row = find(incidentId).orElseThrow();
    row.put(column, value);
    touch(row);
  }

  @Override
  public synchronized ResponseDefinition transform(ServeEvent event) {
    Request request = event.getRequest();
    String path = request.getUrl().split("\\?", 2)[0];
    if (path.equals("/" + tenant + "/oauth2/v2.0/token") && request.getMethod().getName().equals("POST")) {
      return token(request);
    }
    if (!path.startsWith(API)) {
      return error(404, "0x8006088a", "Resource not found for the segment '" + path + "'.");
    }
    String authorization = request.getHeader("Authorization");
    if (authorization == null || !authorization.startsWith("Bearer ")
        || !validTokens.contains(authorization.substring(7))) {
      // What Dataverse answers for a missing, expired or foreign token: no body.
      return ResponseDefinitionBuilder.responseDefinition().withStatus(401)
          .withHeader("WWW-Authenticate", "Bearer authorization_uri="
              + "https://login.microsoftonline.com/" + tenant + "/oauth2/authorize, resource_id="
              + origin(request))
          .build();
    }
    String segment = decode(path.substring(API.length()));
    String method = request.getMethod().getName();
    try {
      if (segment.equals("incidents") && method.equals("GET")) {
        return list(request, incidents);
      }
      if (segment.equals("annotations") && method.equals("GET")) {
        return list(request, annotations);
      }
      if (segment.equals("annotations") && method.equals("POST")) {
        return annotate(read(request.getBodyAsString()));
      }
      if (segment.equals("CloseIncident") && method.equals("POST")) {
        return closeIncident(read(request.getBodyAsString()));
      }
      Matcher keyed = KEYED.matcher(segment);
      if (keyed.matches() && keyed.group(1).equals("incidents")) {
        Predicate<ObjectNode> key = key(keyed.group(2));
        Optional<ObjectNode> row = incidents.stream().filter(key).findFirst();
        if (method.equals("GET")) {
          return row.map(r -> json(200, entity(r, select(request)), Map.of()))
              .orElseGet(() -> doesNotExist(keyed.group(2)));
        }
        if (method.equals("PATCH")) {
          return upsert(request, keyed.group(2), row);
        }
      }
    } catch (IllegalArgumentException e) {
      return error(400, "0x80060888", e.getMessage());
    }
    return error(404, "0x8006088a", "Resource not found for the segment '" + segment + "'.");
  }

  private ResponseDefinition token(Request request) {
    Map<String, String> form = FormFields.parse(request.getBodyAsString()).firstValues();
    boolean good = clientId.equals(form.get("client_id"))
        && clientSecret.equals(form.get("client_secret"))
        && "client_credentials".equals(form.get("grant_type"))
        && (origin(request) + "/.default").equals(form.get("scope"));
    if (!good) {
      return new ResponseDefinition(401, "{\"error\":\"invalid_client\",\"error_description\":"
          + "\"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the"
          + " request is the client secret value, not the client secret ID, for a secret added to"
          + " app '" + form.get("client_id") + "'.\",\"error_codes\":[7000215],"
          + "\"timestamp\":\"2024-07-01 09:00:00Z\",\"trace_id\":\"" + newGuid() + "\","
          + "\"correlation_id\":\"" + newGuid() + "\","
          + "\"error_uri\":\"https://login.microsoftonline.com/error?code=7000215\"}");
    }
    String token = "eyJ0eXAiOiJKV1Qi.fake." + (++tokensIssued);
    validTokens.add(token);
    ObjectNode body = json.createObjectNode().put("token_type", "Bearer").put("expires_in", 3599)
        .put("ext_expires_in", 3599).put("access_token", token);
    return json(200, body, Map.of());
  }

  /** A page still to be served, and the delta link to give after its last row (or null). */
  private record Pending(List<ObjectNode> rows, String deltaLink) {}

  private ResponseDefinition list(Request request, List<ObjectNode> rows) {
    int pageSize = 5000;
    boolean tracking = false;
    Map<String, String> headers = new LinkedHashMap<>();
    List<String> applied = new ArrayList<>();
    String prefer = request.getHeader("Prefer");
    for (String preference : prefer == null ? new String[0] : prefer.split(",")) {
      String p = preference.trim();
      if (p.startsWith("odata.maxpagesize=")) {
        pageSize = Integer.parseInt(p.substring("odata.maxpagesize=".length()));
        applied.add(p);
      } else if (p.equals("odata.track-changes")) {
        tracking = true;
        applied.add(p);
      }
    }
    if (!applied.isEmpty()) {
      headers.put("Preference-Applied", String.join(",", applied));
    }
    Pending pending;
    boolean delta = false;
    String skipToken = param(request, "$skiptoken");
    String deltaToken = param(request, "$deltatoken");
    if (skipToken != null) {
      Matcher cookie = Pattern.compile("pagingcookie=\"([^\"]+)\"").matcher(skipToken);
      if (!cookie.find() || !pagingCookies.containsKey(cookie.group(1))) {
        return error(400, "0x80040203", "Invalid paging cookie.");
      }
      pending = pagingCookies.remove(cookie.group(1));
      delta = pending.deltaLink() != null;
    } else if (deltaToken != null) {
      // Changes since the token: rows written after its row version, and deletions.
      long since = Long.parseLong(deltaToken.substring(0, deltaToken.indexOf('!')));
      List<ObjectNode> changed = new ArrayList<>();
      rows.stream().filter(r -> r.path("versionnumber").asLong() > since)
          .sorted(Comparator.comparing(r -> r.path("versionnumber").asLong()))
          .map(ObjectNode::deepCopy).forEach(changed::add);
      tombstones.stream().filter(t -> t.path("versionnumber").asLong() > since)
          .map(ObjectNode::deepCopy).forEach(changed::add);
      pending = new Pending(changed, deltaLink(request));
      delta = true;
    } else if (tracking) {
      // Dataverse documents $filter and $orderby as not supported with change tracking.
      if (param(request, "$filter") != null || param(request, "$orderby") != null) {
        return error(400, "0x80060888", "$filter and $orderby are not supported with change tracking.");
      }
      pending = new Pending(rows.stream().sorted(Comparator.comparing(
          r -> r.path("versionnumber").asLong())).map(ObjectNode::deepCopy).toList(),
          deltaLink(request));
      delta = true;
    } else {
      String filter = param(request, "$filter");
      Predicate<JsonNode> where = filter == null ? r -> true : new Filter(filter).parse();
      Comparator<JsonNode> order = (a, b) -> 0;
      String orderBy = param(request, "$orderby");
      if (orderBy != null) {
        for (String term : orderBy.split(",")) {
          String[] parts = term.trim().split(" ");
          Comparator<JsonNode> by = Comparator.comparing(r -> Filter.comparable(r.path(parts[0])));
          order = order.thenComparing(parts.length > 1 && parts[1].equals("desc") ? by.reversed() : by);
        }
      }
      List<ObjectNode> matching =
          rows.stream().filter(where).sorted(order).map(ObjectNode::deepCopy).toList();
      String top = param(request, "$top");
      if (top != null) {
        matching = matching.subList(0, Math.min(matching.size(), Integer.parseInt(top)));
      }
      pending = new Pending(matching, null);
    }
    Set<String> select = select(request);
    ArrayNode value = json.createArrayNode();
    List<ObjectNode> matching = pending.rows();
    matching.stream().limit(pageSize).forEach(r -> value.add(r.has("reason")
        ? r.without("versionnumber") : entity(r, select)));
    ObjectNode body = json.createObjectNode();
    body.put("@odata.context", origin(request) + API + "$metadata#" + (rows == incidents
        ? "incidents" : "annotations") + "(" + String.join(",", select) + ")"
        + (delta ? "/$delta" : ""));
    body.set("value", value);
    if (matching.size() > pageSize) {
      String cookie = "p" + UUID.randomUUID();
      pagingCookies.put(cookie, new Pending(
          new ArrayList<>(matching.subList(pageSize, matching.size())), pending.deltaLink()));
      String query = request.getUrl().split("\\?", 2).length > 1
          ? request.getUrl().split("\\?", 2)[1].replaceAll("&?\\$(skip|delta)token=[^&]*", "") : "";
      body.put("@odata.nextLink", origin(request) + request.getUrl().split("\\?", 2)[0] + "?"
          + query + (query.isEmpty() ? "" : "&") + "$skiptoken=" + URLEncoder.encode(
              "<cookie pagenumber=\"2\" pagingcookie=\"" + cookie + "\" istracking=\""
                  + (delta ? "True" : "False") + "\" />",
              StandardCharsets.UTF_8).replace("+", "%20"));
    } else if (pending.deltaLink() != null) {
      body.put("@odata.deltaLink", pending.deltaLink());
    }
    return json(200, body, headers);
  }

  /**
   * The documented form: the query's {@code $select} and a {@code $deltatoken} of the row version
   * and a time, {@code 919042!08/22/2017 08:10:44}, percent-encoded.
   */
  private String deltaLink(Request request) {
    String token = rowVersion + "!" + DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss")
        .withZone(java.time.ZoneOffset.UTC).format(now);
    String select = param(request, "$select");
    return origin(request) + request.getUrl().split("\\?", 2)[0] + "?"
        + (select == null ? "" : "$select=" + select + "&") + "$deltatoken="
        + URLEncoder.encode(token, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Deletes an incident, leaving what change tracking reports for it. */
  synchronized void deleteIncident(String incidentId) {
    ObjectNode row = find(incidentId).orElseThrow();
    incidents.remove(row);
    ObjectNode tombstone = json.createObjectNode();
    tombstone.put("@odata.context", "$metadata#incidents/$deletedEntity");
    tombstone.put("id", incidentId);
    tombstone.put("reason", "deleted");
    tombstone.put("versionnumber", ++rowVersion);
    tombstones.add(tombstone);
  }

  private ResponseDefinition upsert(Request request, String key, Optional<ObjectNode> existing) {
    String ifNoneMatch = request.getHeader("If-None-Match");
    String ifMatch = request.getHeader("If-Match");
    boolean representation = "return=representation".equals(request.getHeader("Prefer"));
    JsonNode changes = read(request.getBodyAsString());
    if (existing.isPresent()) {
      ObjectNode row = existing.get();
      if ("*".equals(ifNoneMatch)) {
        return error(412, "0x80040237", "A record with matching key values already exists.");
      }
      if (ifMatch != null && !ifMatch.equals("*") && !ifMatch.equals(etag(row))) {
        return error(412, "0x80060882",
            "The version of the existing record doesn't match the RowVersion property provided.");
      }
      boolean reopens = changes.path("statecode").isInt() && changes.path("statecode").asInt() == 0;
      if (row.path("statecode").asInt() != 0 && !reopens) {
        // A resolved or cancelled case is read-only (the code here is not documented).
        return error(400, "0x80040203",
            "This case has already been resolved. Close and reopen the case, and then try again.");
      }
      changes.fields().forEachRemaining(f -> row.set(f.getKey(), f.getValue()));
      touch(row);
      return representation ? json(200, entity(row, select(request)), Map.of())
          : noContent(row, request);
    }
    if ("*".equals(ifMatch)) {
      return doesNotExist(key);
    }
    ObjectNode row = json.createObjectNode();
    row.put("incidentid", GUID.matcher(key).matches() ? key.toLowerCase() : newGuid());
    if (!GUID.matcher(key).matches()) {
      Matcher alternate = Pattern.compile("([a-z_]+)='(.*)'").matcher(key);
      if (!alternate.matches() || !alternate.group(1).equals(KEY_COLUMN)) {
        return error(400, "0x80060888", "Invalid key: " + key);
      }
      row.put(KEY_COLUMN, alternate.group(2).replace("''", "'"));
    }
    if (!changes.hasNonNull("title")) {
      return error(400, "0x80040203", "Required field 'title' is missing.");
    }
    if (!changes.hasNonNull("customerid_account@odata.bind")
        && !changes.hasNonNull("customerid_contact@odata.bind")) {
      return error(400, "0x80040203", "Required field 'customerid' is missing.");
    }
    row.put("ticketnumber", "CAS-" + (++ticketNumbers) + "-X7Q2L9");
    row.put("statecode", 0);
    row.put("statuscode", 1);
    row.put("createdon", stamp());
    changes.fields().forEachRemaining(f -> row.set(f.getKey(), f.getValue()));
    touch(row);
    incidents.add(row);
    return representation ? json(201, entity(row, select(request)), Map.of())
        : noContent(row, request);
  }

  private ResponseDefinition annotate(JsonNode body) {
    Matcher bind = BIND.matcher(body.path("objectid_incident@odata.bind").asText(""));
    if (!bind.matches() || find(bind.group(2)).isEmpty()) {
      return error(400, "0x80040203", "objectid_incident@odata.bind names no incident.");
    }
    ObjectNode note = json.createObjectNode();
    note.put("annotationid", newGuid());
    note.put("subject", body.path("subject").asText(null));
    note.put("notetext", body.path("notetext").asText(null));
    note.put("_objectid_value", bind.group(2).toLowerCase());
    note.put("objecttypecode", "incident");
    note.put("createdon", stamp());
    note.put("versionnumber", ++rowVersion);
    annotations.add(note);
    return ResponseDefinitionBuilder.responseDefinition().withStatus(204)
        .withHeader("OData-Version", "4.0")
        .withHeader("OData-EntityId", "annotations(" + note.get("annotationid").asText() + ")")
        .build();
  }

  private ResponseDefinition closeIncident(JsonNode body) {
    JsonNode resolution = body.path("IncidentResolution");
    Matcher bind = BIND.matcher(resolution.path("incidentid@odata.bind").asText(""));
    if (!bind.matches() || !resolution.hasNonNull("subject") || !body.path("Status").isInt()) {
      return error(400, "0x80040203",
          "CloseIncident needs IncidentResolution {subject, incidentid@odata.bind} and Status.");
    }
    Optional<ObjectNode> row = find(bind.group(2));
    if (row.isEmpty()) {
      return doesNotExist(bind.group(2));
    }
    if (row.get().path("statecode").asInt() != 0) {
      return error(400, "0x80040203", "This case has already been resolved.");
    }
    int status = body.path("Status").asInt();
    if (!RESOLVED.contains(status)) {
      return error(400, "0x80040203", "Status " + status + " is not a status of the Resolved state.");
    }
    ObjectNode stored = resolution.deepCopy();
    stored.put("activityid", newGuid());
    resolutions.add(stored);
    row.get().put("statecode", 1).put("statuscode", status);
    touch(row.get());
    return ResponseDefinitionBuilder.responseDefinition().withStatus(204)
        .withHeader("OData-Version", "4.0").build();
  }

  private Predicate<ObjectNode> key(String key) {
    if (GUID.matcher(key).matches()) {
      return r -> r.path("incidentid").asText().equalsIgnoreCase(key);
    }
    Matcher alternate = Pattern.compile("([a-z_]+)='(.*)'").matcher(key);
    if (!alternate.matches()) {
      throw new IllegalArgumentException("Bad Request - Error in query syntax: " + key);
    }
    String column = alternate.group(1);
    String value = alternate.group(2).replace("''", "'");
    return r -> r.path(column).asText("\u0000").equals(value);
  }

  private Optional<ObjectNode> find(String incidentId) {
    return incidents.stream()
        .filter(r -> r.path("incidentid").asText().equalsIgnoreCase(incidentId)).findFirst();
  }

  private void touch(ObjectNode row) {
    row.put("versionnumber", ++rowVersion);
    row.put("modifiedon", stamp());
  }

  private String stamp() {
    return DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
  }

  private ObjectNode entity(ObjectNode row, Set<String> select) {
    ObjectNode out = json.createObjectNode();
    out.put("@odata.etag", etag(row));
    row.fields().forEachRemaining(f -> {
      if (select.isEmpty() || select.contains(f.getKey())) {
        out.set(f.getKey(), f.getValue());
      }
    });
    return out;
  }

  private static String etag(JsonNode row) {
    return "W/\"" + row.path("versionnumber").asLong() + "\"";
  }

  private ResponseDefinition noContent(ObjectNode row, Request request) {
    return ResponseDefinitionBuilder.responseDefinition().withStatus(204)
        .withHeader("OData-Version", "4.0")
        .withHeader("OData-EntityId", origin(request) + API + "incidents("
            + row.get("incidentid").asText() + ")")
        .build();
  }

  private ResponseDefinition doesNotExist(String key) {
    return error(404, "0x80040217", GUID.matcher(key).matches()
        ? "incident With Id = " + key + " Does Not Exist"
        : "A record with the specified key values does not exist in incident entity");
  }

  static ResponseDefinition error(int status, String code, String message) {
    ObjectNode body = new ObjectMapper().createObjectNode();
    body.putObject("error").put("code", code).put("message", message);
    return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
        .withHeader("Content-Type", "application/json; odata.metadata=minimal")
        .withHeader("OData-Version", "4.0").withBody(body.toString()).build();
  }

  private static ResponseDefinition json(int status, JsonNode body, Map<String, String> headers) {
    ResponseDefinitionBuilder b = ResponseDefinitionBuilder.responseDefinition().withStatus(status)
        .withHeader("Content-Type", "application/json; odata.metadata=minimal")
        .withHeader("OData-Version", "4.0").withBody(body.toString());
    headers.forEach(b::withHeader);
    return b.build();
  }

  private static Set<String> select(Request request) {
    String select = param(request, "$select");
    return select == null ? Set.of() : Set.of(select.split(","));
  }

  private static String origin(Request request) {
    String absolute = request.getAbsoluteUrl();
    return absolute.substring(0, absolute.indexOf('/', absolute.indexOf("//") + 2));
  }

  private static String param(Request request, String name) {
    return request.queryParameter(name).isPresent() ? request.queryParameter(name).firstValue() : null;
  }

  private JsonNode read(String body) {
    try {
      return json.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("The request body is not JSON.");
    }
  }

  private String newGuid() {
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }

  private static String decode(String value) {
    return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The subset of OData {@code $filter} the adapter writes, evaluated on rows. */
  static final class Filter {
    private static final Pattern TOKEN = Pattern.compile(
        "\\s*(\\(|\\)|'(?:[^']|'')*'|[A-Za-z0-9_:.+\\-]+)");
    private final List<String> tokens = new ArrayList<>();
    private int at;

    Filter(String text) {
      Matcher m = TOKEN.matcher(text);
      int end = 0;
      while (m.find() && m.start() == end) {
        tokens.add(m.group(1));
        end = m.end();
      }
      if (end != text.trim().length() && end != text.length()) {
        throw new IllegalArgumentException("Syntax error in $filter at position " + end + ".");
      }
    }

    Predicate<JsonNode> parse() {
      Predicate<JsonNode> p = or();
      if (at != tokens.size()) {
        throw new IllegalArgumentException("Syntax error in $filter near '" + tokens.get(at) + "'.");
      }
      return p;
    }

    private Predicate<JsonNode> or() {
      Predicate<JsonNode> p = and();
      while (at < tokens.size() && tokens.get(at).equals("or")) {
        at++;
        p = p.or(and());
      }
      return p;
    }

    private Predicate<JsonNode> and() {
      Predicate<JsonNode> p = primary();
      while (at < tokens.size() && tokens.get(at).equals("and")) {
        at++;
        p = p.and(primary());
      }
      return p;
    }

    private Predicate<JsonNode> primary() {
      if (tokens.get(at).equals("(")) {
        at++;
        Predicate<JsonNode> p = or();
        if (!tokens.get(at++).equals(")")) {
          throw new IllegalArgumentException("Syntax error in $filter: ')' expected.");
        }
        return p;
      }
      String column = tokens.get(at++);
      String op = tokens.get(at++);
      String literal = tokens.get(at++);
      Comparable<Object> wanted = literal(literal);
      return row -> {
        Comparable<Object> actual = comparable(row.path(column));
        if (actual == null) {
          return op.equals("ne");
        }
        int c = actual.compareTo(wanted);
        return switch (op) {
          case "eq" -> c == 0;
          case "ne" -> c != 0;
          case "gt" -> c > 0;
          case "ge" -> c >= 0;
          case "lt" -> c < 0;
          case "le" -> c <= 0;
          default -> throw new IllegalArgumentException("Unknown operator '" + op + "'.");
        };
      };
    }

    @SuppressWarnings("unchecked")
    private static Comparable<Object> literal(String text) {
      if (text.startsWith("'")) {
        return (Comparable<Object>) (Object) text.substring(1, text.length() - 1).replace("''", "'");
      }
      if (text.matches("\\d{4}-\\d{2}-\\d{2}T.*")) {
        return (Comparable<Object>) (Object) Instant.parse(text);
      }
      if (GUID.matcher(text).matches()) {
        return (Comparable<Object>) (Object) text.toLowerCase();
      }
      if (text.matches("-?\\d+")) {
        return (Comparable<Object>) (Object) Long.valueOf(text);
      }
      throw new IllegalArgumentException("Unknown literal '" + text + "' in $filter.");
    }

    /** A column's value as the same kind of thing its literal is, for comparing. */
    @SuppressWarnings("unchecked")
    static Comparable<Object> comparable(JsonNode value) {
      if (value.isMissingNode() || value.isNull()) {
        return null;
      }
      if (value.isNumber()) {
        return (Comparable<Object>) (Object) value.asLong();
      }
      String text = value.asText();
      if (text.matches("\\d{4}-\\d{2}-\\d{2}T.*")) {
        return (Comparable<Object>) (Object) Instant.parse(text);
      }
      return (Comparable<Object>) (Object) (GUID.matcher(text).matches() ? text.toLowerCase() : text);
    }
  }
}
