package org.civicsync.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.civicsync.open311.codec.FormFields;

/**
 * A small ServiceNow instance on loopback for the demo: the Table API as its documentation
 * describes it, enough for CivicSync's ServiceNow adapter and a council officer.
 *
 * <ul>
 *   <li>{@code GET /api/now/table/{table}} with an encoded {@code sysparm_query} ({@code ^} for
 *       AND, {@code ^NQ} for a top-level OR, {@code ^^} for a literal caret, {@code ORDERBY},
 *       operators {@code = != > >= < <= LIKE}), {@code sysparm_limit} and {@code sysparm_fields};
 *       {@code GET /api/now/table/{table}/{sys_id}};</li>
 *   <li>{@code POST /api/now/table/{table}} (201, always an insert: the Table API has no upsert)
 *       and {@code PATCH /api/now/table/{table}/{sys_id}}, where {@code work_notes} and
 *       {@code comments} are journal fields: they are stored as rows of
 *       {@code sys_journal_field}, not on the record;</li>
 *   <li>answers {@code {"result": …}} with stored values ({@code sysparm_display_value=false}:
 *       {@code state} as its number, {@code sys_mod_count} as a string, {@code sys_updated_on}
 *       in UTC as {@code yyyy-MM-dd HH:mm:ss}), errors as
 *       {@code {"error":{"message":…,"detail":…},"status":"failure"}}; HTTP Basic users only.</li>
 * </ul>
 *
 * <p>Date-time literals in a query are read in the calling user's time zone, as an instance does.
 * {@code sys_updated_on} has one-second precision; each write here is stamped at least one second
 * after the previous one, so the demo's quick succession of writes does not depend on how the
 * adapter breaks ties within a second. The officer works through the same API
 * ({@link #patchAs}), as the instance's UI would. Thread-safe.
 */
public final class SimulatedServiceNow implements AutoCloseable {
  private static final String TABLE_API = "/api/now/table/";
  private static final DateTimeFormatter STORED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final Pattern CONDITION =
      Pattern.compile("([a-z_]+)(IN|LIKE|>=|<=|!=|>|<|=)(.*)", Pattern.DOTALL);
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(java.time.Duration.ofSeconds(5)).build();

  private final Clock clock;
  private final ZoneId userZone;
  private final Map<String, String> users;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, List<ObjectNode>> tables = new LinkedHashMap<>();
  private final List<String> calls = new ArrayList<>();
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "simulated-servicenow");
    t.setDaemon(true);
    return t;
  });
  private Instant lastStamp = Instant.EPOCH;
  private int nextNumber = 10001;

  private SimulatedServiceNow(Clock clock, ZoneId userZone, Map<String, String> users)
      throws IOException {
    this.clock = clock;
    this.userZone = userZone;
    this.users = Map.copyOf(users);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext(TABLE_API, this::table);
    server.setExecutor(threads);
    server.start();
  }

  /**
   * Starts on a free loopback port.
   *
   * @param userZone the time zone the users' query literals are read in
   * @param users user name to password, for HTTP Basic
   */
  public static SimulatedServiceNow start(Clock clock, ZoneId userZone, Map<String, String> users)
      throws IOException {
    return new SimulatedServiceNow(Objects.requireNonNull(clock, "clock == null"),
        Objects.requireNonNull(userZone, "userZone == null"),
        Objects.requireNonNull(users, "users == null"));
  }

  /** The instance URL, as {@code instance_url} takes it. */
  public String instanceUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  /** A copy of every record of {@code table}, in insertion order. */
  public synchronized List<ObjectNode> records(String table) {
    return tables.getOrDefault(table, List.of()).stream().map(ObjectNode::deepCopy).toList();
  }

  /** The journal entries ({@code work_notes}, {@code comments}) of record {@code sysId}. */
  public synchronized List<ObjectNode> journal(String sysId) {
    return tables.getOrDefault("sys_journal_field", List.of()).stream()
        .filter(r -> r.path("element_id").asText().equals(sysId)).map(ObjectNode::deepCopy).toList();
  }

  /** Every request answered, as {@code METHOD /path} (no query, no body), oldest first. */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /**
   * What a user does in the instance's UI, done over the Table API: {@code PATCH} record
   * {@code sysId} of {@code table} with {@code fields}, as {@code user}. Answers the HTTP status.
   */
  public int patchAs(String user, String password, String table, String sysId,
      Map<String, String> fields) throws IOException, InterruptedException {
    ObjectNode body = json.createObjectNode();
    fields.forEach(body::put);
    HttpResponse<String> answer = CLIENT.send(HttpRequest.newBuilder(
            URI.create(instanceUrl() + TABLE_API.substring(1) + table + "/" + sysId))
        .header("Authorization", basic(user, password))
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    return answer.statusCode();
  }

  private void table(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      synchronized (this) {
        calls.add(method + " " + path);
      }
      if (!authorised(exchange.getRequestHeaders().getFirst("Authorization"))) {
        error(exchange, 401, "User Not Authenticated", "Required to provide Auth information");
        return;
      }
      String[] parts = path.substring(TABLE_API.length()).split("/");
      String table = parts[0];
      Map<String, String> query = FormFields.parse(
          Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("")).firstValues();
      Optional<List<String>> fields = Optional.ofNullable(query.get("sysparm_fields"))
          .map(f -> List.of(f.split(",")));
      synchronized (this) {
        switch (method) {
          case "GET" -> {
            if (parts.length == 2) {
              Optional<ObjectNode> record = find(table, parts[1]);
              if (record.isEmpty()) {
                noRecord(exchange);
              } else {
                answer(exchange, 200, json.createObjectNode().set("result", only(record.get(), fields)));
              }
            } else {
              list(exchange, table, query, fields);
            }
          }
          case "POST" -> {
            Optional<JsonNode> body = body(exchange);
            if (body.isEmpty()) {
              error(exchange, 400, "Invalid request body", "a JSON object is required");
              return;
            }
            answer(exchange, 201, json.createObjectNode().set("result",
                only(insert(table, (ObjectNode) body.get()), fields)));
          }
          case "PATCH", "PUT" -> {
            Optional<ObjectNode> record = parts.length == 2 ? find(table, parts[1]) : Optional.empty();
            Optional<JsonNode> body = body(exchange);
            if (record.isEmpty()) {
              noRecord(exchange);
            } else if (body.isEmpty()) {
              error(exchange, 400, "Invalid request body", "a JSON object is required");
            } else {
              answer(exchange, 200, json.createObjectNode().set("result",
                  only(update(table, record.get(), (ObjectNode) body.get()), fields)));
            }
          }
          default -> error(exchange, 405, "Method not Supported", method);
        }
      }
    }
  }

  private boolean authorised(String header) {
    return header != null && users.entrySet().stream()
        .anyMatch(u -> header.equals(basic(u.getKey(), u.getValue())));
  }

  private void list(HttpExchange exchange, String table, Map<String, String> query,
      Optional<List<String>> fields) throws IOException {
    List<String> order = new ArrayList<>();
    List<List<String[]>> alternatives = new ArrayList<>();
    String encoded = query.getOrDefault("sysparm_query", "");
    for (String group : encoded.isEmpty() ? new String[0] : encoded.split("\\^NQ")) {
      List<String[]> conditions = new ArrayList<>();
      for (String escaped : group.replace("^^", "\u0000").split("\\^")) {
        String term = escaped.replace("\u0000", "^");
        if (term.isEmpty()) {
          continue;
        }
        if (term.startsWith("ORDERBY")) {
          order.add(term.substring("ORDERBY".length()));
          continue;
        }
        Matcher m = CONDITION.matcher(term);
        if (!m.matches()) {
          error(exchange, 400, "Invalid query", "cannot read the term '" + term + "'");
          return;
        }
        conditions.add(new String[] {m.group(1), m.group(2), m.group(3)});
      }
      alternatives.add(conditions);
    }
    Comparator<ObjectNode> byOrder = (a, b) -> 0;
    for (String field : order) {
      byOrder = byOrder.thenComparing(r -> r.path(field).asText(""));
    }
    long limit = query.containsKey("sysparm_limit") ? Long.parseLong(query.get("sysparm_limit")) : 10_000;
    ArrayNode result = json.createArrayNode();
    tables.getOrDefault(table, List.of()).stream()
        .filter(r -> alternatives.isEmpty()
            || alternatives.stream().anyMatch(all -> all.stream().allMatch(c -> holds(r, c))))
        .sorted(byOrder)
        .limit(limit)
        .forEach(r -> result.add(only(r, fields)));
    answer(exchange, 200, json.createObjectNode().set("result", result));
  }

  private boolean holds(ObjectNode record, String[] condition) {
    String actual = record.path(condition[0]).asText("");
    String wanted = condition[2];
    if (condition[1].equals("IN")) {
      return List.of(wanted.split(",")).contains(actual);
    }
    if (condition[0].endsWith("_on") && !condition[1].equals("LIKE")) {
      // A literal date-time is in the user's zone; stored values are UTC.
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
      default -> false;
    };
  }

  private ObjectNode insert(String table, ObjectNode fields) {
    ObjectNode record = json.createObjectNode();
    String stamp = stamp();
    record.put("sys_id", java.util.UUID.randomUUID().toString().replace("-", ""));
    if (!table.equals("sys_journal_field")) {
      record.put("number", "INC00" + nextNumber++);
      record.put("state", "1");
    }
    record.put("sys_mod_count", "0");
    record.put("sys_created_on", stamp);
    record.put("sys_updated_on", stamp);
    List<Map.Entry<String, JsonNode>> journal = new ArrayList<>();
    fields.fields().forEachRemaining(f -> {
      if (isJournal(f.getKey())) {
        journal.add(f);
      } else if (!f.getKey().startsWith("sys_")) {
        record.put(f.getKey(), f.getValue().asText());
      }
    });
    tables.computeIfAbsent(table, t -> new ArrayList<>()).add(record);
    journal.forEach(f -> journal(table, record, f.getKey(), f.getValue().asText()));
    return record;
  }

  private ObjectNode update(String table, ObjectNode record, ObjectNode changes) {
    changes.fields().forEachRemaining(f -> {
      if (isJournal(f.getKey())) {
        journal(table, record, f.getKey(), f.getValue().asText());
      } else if (!f.getKey().startsWith("sys_")) {
        record.put(f.getKey(), f.getValue().asText());
      }
    });
    record.put("sys_mod_count", Integer.toString(record.get("sys_mod_count").asInt() + 1));
    record.put("sys_updated_on", stamp());
    return record;
  }

  private void journal(String table, ObjectNode record, String element, String value) {
    ObjectNode entry = json.createObjectNode().put("element_id", record.get("sys_id").asText())
        .put("element", element).put("name", table).put("value", value);
    insert("sys_journal_field", entry);
  }

  private static boolean isJournal(String field) {
    return field.equals("work_notes") || field.equals("comments");
  }

  private String stamp() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    lastStamp = now.isAfter(lastStamp) ? now : lastStamp.plusSeconds(1);
    return STORED.format(lastStamp.atOffset(ZoneOffset.UTC));
  }

  private Optional<ObjectNode> find(String table, String sysId) {
    return tables.getOrDefault(table, List.of()).stream()
        .filter(r -> r.path("sys_id").asText().equals(sysId)).findFirst();
  }

  private ObjectNode only(ObjectNode record, Optional<List<String>> fields) {
    if (fields.isEmpty()) {
      return record.deepCopy();
    }
    ObjectNode out = json.createObjectNode();
    // An asked-for field the record lacks answers "", as the Table API does.
    fields.get().forEach(f -> out.put(f, record.path(f).asText("")));
    return out;
  }

  private Optional<JsonNode> body(HttpExchange exchange) throws IOException {
    try {
      JsonNode node = json.readTree(exchange.getRequestBody().readAllBytes());
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private void noRecord(HttpExchange exchange) throws IOException {
    error(exchange, 404, "No Record found",
        "Record doesn't exist or ACL restricts the record retrieval");
  }

  private void error(HttpExchange exchange, int status, String message, String detail)
      throws IOException {
    ObjectNode error = json.createObjectNode();
    error.putObject("error").put("message", message).put("detail", detail);
    error.put("status", "failure");
    answer(exchange, status, error);
  }

  private static void answer(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString(
        (user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
