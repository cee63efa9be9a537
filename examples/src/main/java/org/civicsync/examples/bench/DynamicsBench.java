package org.civicsync.examples.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.crm.dynamics.DynamicsCrm;
import org.civicsync.crm.dynamics.DynamicsSettings;
import org.civicsync.crm.dynamics.EntraLogin;
import org.civicsync.examples.bench.LoopbackHttp.Answer;
import org.civicsync.examples.bench.LoopbackHttp.Call;
import org.civicsync.open311.codec.FormFields;

/**
 * The Dynamics 365 adapter against a loopback Dataverse environment and Entra ID tenant:
 * {@code POST /{tenant}/oauth2/v2.0/token} (client credentials, scope {@code <environment>/.default});
 * {@code GET /api/data/v9.2/incidents} with the adapter's keyset {@code $filter} on
 * ({@code modifiedon}, {@code incidentid}), {@code $orderby modifiedon asc,incidentid asc},
 * {@code $select}, and {@code Prefer: odata.maxpagesize=N} answered with
 * {@code Preference-Applied} and an {@code @odata.nextLink} carrying a {@code $skiptoken} paging
 * cookie; {@code GET incidents(<guid>)} with {@code @odata.etag} {@code W/"<versionnumber>"};
 * {@code GET annotations} filtered on {@code _objectid_value} and {@code subject} with
 * {@code $top}; {@code POST annotations} (204, {@code OData-EntityId}); {@code PATCH
 * incidents(<guid>)} with {@code If-Match} (412 on a stale ETag) and
 * {@code Prefer: return=representation}; errors as {@code {"error":{"code","message"}}}.
 * Rows are kept in keyset order so that a page costs its own length. Any other query is
 * answered 400, as Dataverse answers one it cannot read.
 */
final class DynamicsBench implements BenchTarget {
  private static final String TENANT = "7f3c1a52-9d0e-4b1a-8c55-0d2e4f6a8b90";
  private static final String CLIENT_ID = "51f81489-12ee-4a9e-aaae-a2591f45987d";
  private static final String CLIENT_SECRET = "loopback-only";
  private static final String CUSTOMER = "accounts(a1b2c3d4-0000-4000-8000-00000000c0c1)";
  private static final String API = "/api/data/v9.2/";
  private static final String T = "(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z)";
  private static final String G = "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})";
  private static final Pattern KEYSET = Pattern.compile(
      "modifiedon ge " + T + "(?: and \\(modifiedon gt " + T + " or incidentid gt " + G + "\\))?");
  private static final Pattern NOTE_SEARCH =
      Pattern.compile("_objectid_value eq " + G + " and subject eq '((?:[^']|'')*)'");
  private static final Pattern INCIDENT = Pattern.compile("incidents\\(" + G + "\\)");
  private static final Pattern BIND = Pattern.compile("/incidents\\(" + G + "\\)");
  private static final Pattern COOKIE = Pattern.compile("pagingcookie=\"([^\"]+)\"");
  private static final Pattern PAGE_SIZE = Pattern.compile("odata\\.maxpagesize=(\\d+)");

  private final ObjectMapper json = new ObjectMapper();
  private final Random random = new Random(365);
  /** incident rows by (modifiedon, incidentid): the order every listing asks for. */
  private final NavigableMap<String, ObjectNode> byModified = new TreeMap<>();
  private final Map<String, ObjectNode> byId = new HashMap<>();
  /** annotations by the incident they are on ({@code _objectid_value}). */
  private final Map<String, List<ObjectNode>> annotations = new HashMap<>();
  /** The rest of a listing, by paging cookie: what its {@code @odata.nextLink} serves. */
  private final Map<String, Continuation> pagingCookies = new HashMap<>();
  private LoopbackHttp server;
  private DynamicsCrm adapter;
  private String token;
  private Instant now;
  private long rowVersion = 7_204_000;
  private int cookies;

  @Override
  public String name() {
    return "dynamics";
  }

  @Override
  public String callUnit() {
    return "HTTP requests";
  }

  @Override
  public List<String> seed(int cases) throws IOException {
    Instant from = ServiceNowBench.SEEDED_FROM;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < cases; i++) {
      // Ten incidents a second: pages end inside runs of equal modifiedon, kept to the second.
      String stamp = DateTimeFormatter.ISO_INSTANT.format(from.plusSeconds(i / 10));
      ObjectNode row = json.createObjectNode().put("incidentid", guid())
          .put("ticketnumber", "CAS-" + (10_000 + i) + "-X7Q2L9").put("new_category", "pothole")
          .putNull("new_externalreference").putNull("new_civicsyncupdateid")
          .put("statecode", 0).put("statuscode", 1).put("versionnumber", ++rowVersion)
          .put("createdon", stamp).put("modifiedon", stamp);
      index(row);
      ids.add(row.get("incidentid").asText());
    }
    now = from.plusSeconds(cases / 10 + 60);
    server = LoopbackHttp.start("dataverse-stub", this::answer);
    HttpUrl environment = HttpUrl.get(server.url());
    EntraLogin login = EntraLogin.of(environment, TENANT, CLIENT_ID, CLIENT_SECRET)
        .withLoginUrl(environment);
    adapter = DynamicsCrm.create("bench-dynamics", DynamicsSettings.of(environment, login, CUSTOMER));
    return ids;
  }

  @Override
  public CrmAdapter adapter() {
    return Objects.requireNonNull(adapter, "seed first");
  }

  @Override
  public long calls() {
    return server.requests();
  }

  @Override
  public synchronized long updatesLanded() {
    return annotations.values().stream().flatMap(List::stream)
        .filter(a -> a.path("subject").asText().contains("[civicsync:bench-")).count();
  }

  private synchronized Answer answer(Call call) {
    if (call.path().equals("/" + TENANT + "/oauth2/v2.0/token") && call.method().equals("POST")) {
      return token(FormFields.parse(call.body()).firstValues());
    }
    if (!call.path().startsWith(API)) {
      return error(404, "0x8006088a", "Resource not found for the segment '" + call.path() + "'.");
    }
    if (token == null || !("Bearer " + token).equals(call.header("Authorization"))) {
      return new Answer(401, "", Map.of("WWW-Authenticate", "Bearer authorization_uri="
          + "https://login.microsoftonline.com/" + TENANT + "/oauth2/authorize"));
    }
    if (!"4.0".equals(call.header("OData-Version"))) {
      return error(400, "0x80060888", "OData-Version 4.0 expected.");
    }
    String segment = call.path().substring(API.length());
    Matcher incident = INCIDENT.matcher(segment);
    return switch (call.method() + " " + (incident.matches() ? "incidents(id)" : segment)) {
      case "GET incidents" -> list(call);
      case "GET incidents(id)" -> read(incident.group(1), call);
      case "PATCH incidents(id)" -> patch(incident.group(1), call);
      case "GET annotations" -> findNote(call);
      case "POST annotations" -> annotate(call);
      default -> error(404, "0x8006088a", "Resource not found for the segment '" + segment + "'.");
    };
  }

  private Answer token(Map<String, String> form) {
    if (!CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))
        || !"client_credentials".equals(form.get("grant_type"))
        || !(server.url() + "/.default").equals(form.get("scope"))) {
      return Answer.json(401, "{\"error\":\"invalid_client\",\"error_description\":"
          + "\"AADSTS7000215: Invalid client secret provided.\",\"error_codes\":[7000215]}");
    }
    token = "eyJ0eXAiOiJKV1Qi.bench." + random.nextInt(1_000_000);
    return Answer.json(200, json.createObjectNode().put("token_type", "Bearer")
        .put("expires_in", 3599).put("ext_expires_in", 3599).put("access_token", token).toString());
  }

  /** Where a listing's {@code @odata.nextLink} goes on: after the row at {@code afterKey}. */
  private record Continuation(String afterKey, List<String> select) {}

  private Answer list(Call call) {
    Matcher size = PAGE_SIZE.matcher(Objects.requireNonNullElse(call.header("Prefer"), ""));
    boolean sized = size.find();
    int pageSize = sized ? Integer.parseInt(size.group(1)) : 5000;
    Map<String, String> headers =
        sized ? Map.of("Preference-Applied", "odata.maxpagesize=" + pageSize) : Map.of();
    String skipToken = call.query().get("$skiptoken");
    List<ObjectNode> rows = new ArrayList<>();
    List<String> select;
    if (skipToken != null) {
      Matcher cookie = COOKIE.matcher(skipToken);
      Continuation from = cookie.find() ? pagingCookies.remove(cookie.group(1)) : null;
      if (from == null) {
        return error(400, "0x80040203", "Invalid paging cookie.");
      }
      select = from.select();
      for (ObjectNode row : byModified.tailMap(from.afterKey(), false).values()) {
        if (rows.size() > pageSize) {
          break;
        }
        rows.add(row);
      }
    } else {
      Matcher keyset = KEYSET.matcher(call.query().getOrDefault("$filter", ""));
      if (!keyset.matches()
          || !"modifiedon asc,incidentid asc".equals(call.query().get("$orderby"))) {
        return error(400, "0x80060888", "The stub reads the adapter's keyset query only.");
      }
      select = select(call);
      String tieTime = keyset.group(2);
      String afterId = keyset.group(3);
      for (ObjectNode row : byModified.tailMap(keyset.group(1), true).values()) {
        if (rows.size() > pageSize) {
          break;
        }
        if (afterId == null || row.get("modifiedon").asText().compareTo(tieTime) > 0
            || row.get("incidentid").asText().compareTo(afterId) > 0) {
          rows.add(row);
        }
      }
    }
    ArrayNode value = json.createArrayNode();
    rows.stream().limit(pageSize).forEach(row -> value.add(entity(row, select)));
    ObjectNode body = json.createObjectNode()
        .put("@odata.context", server.url() + API + "$metadata#incidents");
    body.set("value", value);
    if (rows.size() > pageSize) {
      String cookie = "bench" + (++cookies);
      pagingCookies.put(cookie, new Continuation(key(rows.get(pageSize - 1)), select));
      body.put("@odata.nextLink", server.url() + API + "incidents?$select="
          + String.join(",", select) + "&$skiptoken=" + URLEncoder.encode("<cookie pagenumber=\"2\""
              + " pagingcookie=\"" + cookie + "\" istracking=\"False\" />", StandardCharsets.UTF_8)
              .replace("+", "%20"));
    }
    return new Answer(200, body.toString(), headers);
  }

  private Answer read(String id, Call call) {
    ObjectNode row = byId.get(id);
    return row == null ? doesNotExist(id) : Answer.json(200, entity(row, select(call)).toString());
  }

  private Answer patch(String id, Call call) {
    ObjectNode row = byId.get(id);
    if (row == null) {
      return doesNotExist(id);
    }
    String ifMatch = call.header("If-Match");
    if (ifMatch != null && !ifMatch.equals("*") && !ifMatch.equals(etag(row))) {
      return error(412, "0x80060882",
          "The version of the existing record doesn't match the RowVersion property provided.");
    }
    if (row.get("statecode").asInt() != 0) {
      return error(400, "0x80040203", "This case has already been resolved.");
    }
    JsonNode changes = parse(call.body());
    byModified.remove(key(row));
    changes.fields().forEachRemaining(f -> row.set(f.getKey(), f.getValue()));
    now = now.plusSeconds(1);
    row.put("versionnumber", ++rowVersion)
        .put("modifiedon", DateTimeFormatter.ISO_INSTANT.format(now));
    index(row);
    return "return=representation".equals(call.header("Prefer"))
        ? Answer.json(200, entity(row, select(call)).toString())
        : new Answer(204, "", Map.of("OData-EntityId", server.url() + API + "incidents(" + id + ")"));
  }

  private Answer findNote(Call call) {
    Matcher search = NOTE_SEARCH.matcher(call.query().getOrDefault("$filter", ""));
    if (!search.matches() || !"1".equals(call.query().get("$top"))) {
      return error(400, "0x80060888", "The stub reads the adapter's annotation search only.");
    }
    String subject = search.group(2).replace("''", "'");
    ArrayNode value = json.createArrayNode();
    annotations.getOrDefault(search.group(1), List.of()).stream()
        .filter(a -> a.path("subject").asText().equals(subject)).limit(1)
        .forEach(a -> value.addObject().put("@odata.etag", "W/\"" + a.get("versionnumber") + "\"")
            .put("annotationid", a.get("annotationid").asText()));
    ObjectNode body = json.createObjectNode()
        .put("@odata.context", server.url() + API + "$metadata#annotations(annotationid)");
    body.set("value", value);
    return Answer.json(200, body.toString());
  }

  private Answer annotate(Call call) {
    JsonNode body = parse(call.body());
    Matcher bind = BIND.matcher(body.path("objectid_incident@odata.bind").asText(""));
    if (!bind.matches() || !byId.containsKey(bind.group(1))) {
      return error(400, "0x80040203", "objectid_incident@odata.bind names no incident.");
    }
    ObjectNode note = json.createObjectNode().put("annotationid", guid())
        .put("subject", body.path("subject").asText(null))
        .put("notetext", body.path("notetext").asText(null))
        .put("_objectid_value", bind.group(1)).put("objecttypecode", "incident")
        .put("versionnumber", ++rowVersion);
    annotations.computeIfAbsent(bind.group(1), k -> new ArrayList<>()).add(note);
    // Adding an annotation does not change the incident.
    return new Answer(204, "", Map.of("OData-EntityId",
        server.url() + API + "annotations(" + note.get("annotationid").asText() + ")"));
  }

  private ObjectNode entity(ObjectNode row, List<String> select) {
    ObjectNode out = json.createObjectNode().put("@odata.etag", etag(row));
    if (select.isEmpty()) {
      out.setAll(row);
    } else {
      select.forEach(c -> out.set(c, row.has(c) ? row.get(c) : json.nullNode()));
    }
    return out;
  }

  private static List<String> select(Call call) {
    String select = call.query().get("$select");
    return select == null || select.isEmpty() ? List.of() : List.of(select.split(","));
  }

  private static String etag(JsonNode row) {
    return "W/\"" + row.path("versionnumber").asLong() + "\"";
  }

  private void index(ObjectNode row) {
    byId.put(row.get("incidentid").asText(), row);
    byModified.put(key(row), row);
  }

  private static String key(JsonNode row) {
    return row.get("modifiedon").asText() + "|" + row.get("incidentid").asText();
  }

  private String guid() {
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }

  private JsonNode parse(String body) {
    try {
      return json.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("request body is not JSON", e);
    }
  }

  private static Answer doesNotExist(String id) {
    return error(404, "0x80040217", "incident With Id = " + id + " Does Not Exist");
  }

  private static Answer error(int status, String code, String message) {
    ObjectNode body = new ObjectMapper().createObjectNode();
    body.putObject("error").put("code", code).put("message", message);
    return Answer.json(status, body.toString());
  }

  @Override
  public void close() {
    if (adapter != null) {
      adapter.close();
    }
    if (server != null) {
      server.close();
    }
  }
}
