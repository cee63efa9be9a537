package org.civicsync.crm.servicenow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ServiceNow instance behind WireMock, answering as the Table API and {@code /oauth_token.do}
 * are documented: {@code {"result": …}} bodies, stored values for
 * {@code sysparm_display_value=false} (UTC times, state numbers, {@code sys_mod_count} as a
 * string), encoded queries with {@code ^}, {@code ^NQ} and {@code ORDERBY}, and the error body
 * {@code {"error":{"message":…,"detail":…},"status":"failure"}}. Literal times in a query are
 * read in the integration user's zone, as the instance does. Only what the adapter uses is here.
 */
final class FakeInstance implements ResponseDefinitionTransformerV2 {
  static final String NAME = "servicenow-instance";
  private static final DateTimeFormatter STORED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final Pattern CONDITION =
      Pattern.compile("([a-z_]+)(LIKE|IN|>=|<=|!=|>|<|=)(.*)", Pattern.DOTALL);

  private final ObjectMapper json = new ObjectMapper();
  private final ZoneId userZone;
  private final Map<String, List<ObjectNode>> tables = new LinkedHashMap<>();
  private final Set<String> validTokens = new HashSet<>();
  private final ServiceNowLogin login;
  private Instant now = Instant.parse("2024-07-01T09:00:00Z"); // BST in London: zone matters
  private int tokensIssued;
  private int numbers = 10000;

  FakeInstance(ServiceNowLogin login, ZoneId userZone) {
    this.login = login;
    this.userZone = userZone;
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

  /** Every token handed out so far stops working, as at the end of its lifespan. */
  synchronized void expireTokens() {
    validTokens.clear();
  }

  synchronized void advance(long seconds) {
    now = now.plusSeconds(seconds);
  }

  /** A record made on the instance itself, at the instance's current second. */
  synchronized ObjectNode insert(String table, Map<String, String> fields) {
    ObjectNode record = json.createObjectNode();
    String stamp = STORED.format(now.atOffset(ZoneOffset.UTC));
    record.put("sys_id", UUID.randomUUID().toString().replace("-", ""));
    record.put("number", "INC00" + (++numbers));
    record.put("state", "1");
    record.put("sys_mod_count", "0");
    record.put("sys_created_on", stamp);
    record.put("sys_updated_on", stamp);
    fields.forEach(record::put);
    tables.computeIfAbsent(table, t -> new ArrayList<>()).add(record);
    return record;
  }

  /**
   * An officer writes {@code text} into the journal field {@code element} ({@code comments} or
   * {@code work_notes}) of a record, as the form does: a journal entry, and the record's
   * {@code sys_mod_count} and {@code sys_updated_on} move.
   */
  synchronized void journal(String table, String sysId, String element, String text) {
    ObjectNode record = find(table, sysId).orElseThrow();
    insert("sys_journal_field", Map.of("element_id", sysId, "element", element, "name", table,
        "value", text));
    record.put("sys_mod_count", Integer.toString(record.get("sys_mod_count").asInt() + 1));
    record.put("sys_updated_on", STORED.format(now.atOffset(ZoneOffset.UTC)));
  }

  synchronized List<ObjectNode> records(String table) {
    return List.copyOf(tables.getOrDefault(table, List.of()));
  }

  @Override
  public synchronized ResponseDefinition transform(ServeEvent event) {
    Request request = event.getRequest();
    String path = request.getUrl().split("\\?", 2)[0];
    if (path.equals("/oauth_token.do")) {
      return token(request);
    }
    if (!authorised(request.getHeader("Authorization"))) {
      return error(401, "User Not Authenticated", "Required to provide Auth information");
    }
    String[] parts = path.substring("/api/now/table/".length()).split("/");
    String table = parts[0];
    switch (request.getMethod().getName()) {
      case "GET":
        if (parts.length == 2) {
          return find(table, parts[1]).map(r -> ok(200, r)).orElseGet(this::noRecord);
        }
        return list(table, param(request, "sysparm_query"), param(request, "sysparm_limit"));
      case "POST":
        return ok(201, insert(table, fields(request.getBodyAsString())));
      case "PATCH":
        return find(table, parts[1]).map(r -> ok(200, update(table, r, request)))
            .orElseGet(this::noRecord);
      default:
        return error(405, "Method not Supported", request.getMethod().getName());
    }
  }

  private ResponseDefinition token(Request request) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : request.getBodyAsString().split("&")) {
      String[] kv = pair.split("=", 2);
      form.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
    }
    ServiceNowLogin.OAuth oauth = (ServiceNowLogin.OAuth) login;
    boolean good = form.get("client_id").equals(oauth.clientId())
        && form.get("client_secret").equals(oauth.clientSecret())
        && form.get("grant_type").equals("password")
        && form.get("username").equals(oauth.user().orElseThrow())
        && form.get("password").equals(oauth.password().orElseThrow());
    if (!good) {
      // What an instance answers for a refused password grant.
      return new ResponseDefinition(401, "{\"error_description\":\"access_denied\",\"error\":\"server_error\"}");
    }
    String token = "tok-" + (++tokensIssued);
    validTokens.add(token);
    ObjectNode body = json.createObjectNode().put("access_token", token)
        .put("refresh_token", "refresh-" + tokensIssued).put("scope", "useraccount")
        .put("token_type", "Bearer").put("expires_in", 1799);
    return json(200, body);
  }

  private boolean authorised(String header) {
    if (header == null) {
      return false;
    }
    if (login instanceof ServiceNowLogin.Basic basic) {
      return header.equals("Basic " + Base64.getEncoder().encodeToString(
          (basic.user() + ":" + basic.password()).getBytes(StandardCharsets.UTF_8)));
    }
    return header.startsWith("Bearer ") && validTokens.contains(header.substring(7));
  }

  private ResponseDefinition list(String table, String query, String limit) {
    List<String> order = new ArrayList<>();
    List<List<String[]>> groups = new ArrayList<>();
    for (String group : query.split("\\^NQ")) {
      List<String[]> conditions = new ArrayList<>();
      for (String escaped : group.replace("^^", "\u0000").split("\\^")) {
        String term = escaped.replace("\u0000", "^^");
        if (term.startsWith("ORDERBY")) {
          order.add(term.substring("ORDERBY".length()));
          continue;
        }
        Matcher m = CONDITION.matcher(term);
        if (!m.matches()) {
          return error(400, "Invalid query", term);
        }
        conditions.add(new String[] {m.group(1), m.group(2), m.group(3).replace("^^", "^")});
      }
      groups.add(conditions);
    }
    Comparator<ObjectNode> byOrder = (a, b) -> 0;
    for (String field : order) {
      byOrder = byOrder.thenComparing(r -> r.path(field).asText(""));
    }
    ArrayNode result = json.createArrayNode();
    tables.getOrDefault(table, List.of()).stream()
        .filter(r -> groups.stream().anyMatch(g -> g.stream().allMatch(c -> holds(r, c))))
        .sorted(byOrder)
        .limit(limit == null ? 10000 : Long.parseLong(limit))
        .forEach(result::add);
    return json(200, json.createObjectNode().set("result", result));
  }

  private boolean holds(ObjectNode record, String[] condition) {
    String actual = record.path(condition[0]).asText("");
    String wanted = condition[2];
    if (condition[0].endsWith("_on")) { // a date-time literal, in the user's zone
      wanted = STORED.format(LocalDateTime.parse(wanted, STORED).atZone(userZone)
          .withZoneSameInstant(ZoneOffset.UTC));
    }
    int c = actual.compareTo(wanted);
    return switch (condition[1]) {
      case "=" -> c == 0;
      case "!=" -> c != 0;
      case ">" -> c > 0;
      case ">=" -> c >= 0;
      case "<" -> c < 0;
      case "<=" -> c <= 0;
      case "LIKE" -> actual.contains(wanted);
      case "IN" -> List.of(wanted.split(",")).contains(actual);
      default -> false;
    };
  }

  private ObjectNode update(String table, ObjectNode record, Request request) {
    ObjectNode changes = (ObjectNode) read(request.getBodyAsString());
    changes.fields().forEachRemaining(field -> {
      if (field.getKey().equals("work_notes") || field.getKey().equals("comments")) {
        insert("sys_journal_field", Map.of("element_id", record.get("sys_id").asText(),
            "element", field.getKey(), "name", table, "value", field.getValue().asText()));
      } else {
        record.put(field.getKey(), field.getValue().asText());
      }
    });
    record.put("sys_mod_count", Integer.toString(record.get("sys_mod_count").asInt() + 1));
    record.put("sys_updated_on", STORED.format(now.atOffset(ZoneOffset.UTC)));
    return record;
  }

  private java.util.Optional<ObjectNode> find(String table, String sysId) {
    return tables.getOrDefault(table, List.of()).stream()
        .filter(r -> r.get("sys_id").asText().equals(sysId)).findFirst();
  }

  private Map<String, String> fields(String body) {
    Map<String, String> fields = new LinkedHashMap<>();
    read(body).fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText()));
    return fields;
  }

  private JsonNode read(String body) {
    try {
      return json.readTree(body);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private ResponseDefinition noRecord() {
    return error(404, "No Record found", "Record doesn't exist or ACL restricts the record retrieval");
  }

  private ResponseDefinition ok(int status, ObjectNode record) {
    return json(status, json.createObjectNode().set("result", record.deepCopy()));
  }

  static ResponseDefinition error(int status, String message, String detail) {
    return new ResponseDefinition(status, "{\"error\":{\"message\":\"" + message
        + "\",\"detail\":\"" + detail + "\"},\"status\":\"failure\"}");
  }

  private static ResponseDefinition json(int status, JsonNode body) {
    return new ResponseDefinition(status, body.toString());
  }

  private static String param(Request request, String name) {
    return request.queryParameter(name).isPresent() ? request.queryParameter(name).firstValue() : null;
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }
}
