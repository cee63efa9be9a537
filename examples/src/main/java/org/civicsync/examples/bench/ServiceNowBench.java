package org.civicsync.examples.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.crm.servicenow.ServiceNowCrm;
import org.civicsync.crm.servicenow.ServiceNowLogin;
import org.civicsync.crm.servicenow.ServiceNowSettings;
import org.civicsync.examples.bench.LoopbackHttp.Answer;
import org.civicsync.examples.bench.LoopbackHttp.Call;

/**
 * The ServiceNow adapter against a loopback Table API: {@code GET /api/now/table/incident} with
 * an encoded {@code sysparm_query} ({@code ^}, {@code ^NQ}, {@code ORDERBY}, {@code ^^} escapes),
 * {@code sysparm_limit} and {@code sysparm_fields}; {@code GET} and {@code PATCH} of one record,
 * whose {@code work_notes} go to {@code sys_journal_field}; {@code {"result": ...}} bodies with
 * stored values ({@code state} a number, {@code sys_mod_count} a string, {@code sys_updated_on}
 * UTC to the second); Basic auth; the documented error body. Records are kept in
 * ({@code sys_updated_on}, {@code sys_id}) order so a page costs its own length, not the table's.
 * The integration user's zone is UTC, so query literals are read as UTC. Only what the adapter
 * sends is understood; anything else is answered 400, as an instance answers a bad query.
 */
final class ServiceNowBench implements BenchTarget {
  private static final String TABLE = "/api/now/table/";
  private static final String USER = "civicsync.bench";
  private static final String PASSWORD = "loopback-only";
  private static final DateTimeFormatter STORED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final Pattern CONDITION =
      Pattern.compile("([a-z_]+)(LIKE|IN|>=|<=|!=|>|<|=)(.*)", Pattern.DOTALL);
  static final Instant SEEDED_FROM = Instant.parse("2024-07-01T09:00:00Z");

  private final ObjectMapper json = new ObjectMapper();
  /** incident records by (sys_updated_on, sys_id): the order every listing asks for. */
  private final NavigableMap<String, ObjectNode> byUpdated = new TreeMap<>();
  private final Map<String, ObjectNode> bySysId = new HashMap<>();
  /** sys_journal_field entries by element_id (the record they belong to). */
  private final Map<String, List<ObjectNode>> journal = new HashMap<>();
  private final String authorization = "Basic " + Base64.getEncoder()
      .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
  private LoopbackHttp server;
  private ServiceNowCrm adapter;
  private String writeTime;
  private long journalEntries;

  @Override
  public String name() {
    return "servicenow";
  }

  @Override
  public String callUnit() {
    return "HTTP requests";
  }

  @Override
  public List<String> seed(int cases) throws IOException {
    Random random = new Random(311);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < cases; i++) {
      String sysId = String.format("%016x%016x", random.nextLong(), random.nextLong());
      ObjectNode r = json.createObjectNode().put("sys_id", sysId)
          .put("number", String.format("INC%07d", 10_000 + i)).put("category", "pothole")
          .put("correlation_id", "").put("state", "1").put("sys_mod_count", "0")
          // Ten cases a second: pages end inside runs of equal times, as on a busy instance.
          .put("sys_updated_on", STORED.format(SEEDED_FROM.plusMillis(100L * i)));
      r.put("sys_created_on", r.get("sys_updated_on").asText());
      index(r);
      ids.add(sysId);
    }
    writeTime = STORED.format(SEEDED_FROM.plusMillis(100L * cases).plusSeconds(60));
    server = LoopbackHttp.start("servicenow-stub", this::answer);
    adapter = ServiceNowCrm.create("bench-servicenow", ServiceNowSettings.incident(
        HttpUrl.get(server.url()), new ServiceNowLogin.Basic(USER, PASSWORD)));
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
    return journal.values().stream().flatMap(List::stream)
        .filter(e -> e.path("value").asText().contains("[civicsync:bench-")).count();
  }

  private synchronized Answer answer(Call call) {
    if (!authorization.equals(call.header("Authorization"))) {
      return error(401, "User Not Authenticated", "Required to provide Auth information");
    }
    if (!call.path().startsWith(TABLE)) {
      return error(400, "Invalid URL", call.path());
    }
    String[] parts = call.path().substring(TABLE.length()).split("/");
    String table = parts[0];
    List<String> fields = call.query().containsKey("sysparm_fields")
        ? List.of(call.query().get("sysparm_fields").split(",")) : List.of();
    if (call.method().equals("GET") && parts.length == 1) {
      return list(table, call.query().getOrDefault("sysparm_query", ""),
          Integer.parseInt(call.query().getOrDefault("sysparm_limit", "10000")), fields);
    }
    ObjectNode record = table.equals("incident") && parts.length == 2 ? bySysId.get(parts[1]) : null;
    if (record == null) {
      return error(404, "No Record found", "Record doesn't exist or ACL restricts the record retrieval");
    }
    return switch (call.method()) {
      case "GET" -> ok(json.createObjectNode().set("result", select(record, fields)));
      case "PATCH" -> ok(json.createObjectNode().set("result", select(patch(record, call.body()), fields)));
      default -> error(405, "Method not Supported", call.method());
    };
  }

  private Answer list(String table, String query, int limit, List<String> fields) {
    List<String> order = new ArrayList<>();
    List<List<String[]>> groups = new ArrayList<>();
    for (String group : query.isEmpty() ? new String[0] : query.split("\\^NQ")) {
      List<String[]> conditions = new ArrayList<>();
      for (String escaped : group.replace("^^", "\u0000").split("\\^")) {
        String term = escaped.replace("\u0000", "^");
        if (term.startsWith("ORDERBY")) {
          order.add(term.substring("ORDERBY".length()));
          continue;
        }
        Matcher m = CONDITION.matcher(term);
        if (!m.matches()) {
          return error(400, "Invalid query", "cannot read the term " + term);
        }
        conditions.add(new String[] {m.group(1), m.group(2), m.group(3)});
      }
      groups.add(conditions);
    }
    Iterable<ObjectNode> candidates;
    if (table.equals("incident")) {
      if (!order.isEmpty() && !order.equals(List.of("sys_updated_on", "sys_id"))) {
        return error(400, "Invalid query", "the stub orders incident by sys_updated_on, sys_id only");
      }
      String from = lowerBound(groups, "sys_updated_on");
      candidates = from == null ? byUpdated.values() : byUpdated.tailMap(from, true).values();
    } else if (table.equals("sys_journal_field")) {
      String element = equalTo(groups, "element_id");
      String elements = in(groups, "element_id");
      if (elements != null) {
        // The change feed's read of the comments on one page of incidents.
        candidates = java.util.Arrays.stream(elements.split(","))
            .flatMap(id -> journal.getOrDefault(id, List.of()).stream())
            .sorted(java.util.Comparator.comparing((ObjectNode e) -> e.path("sys_created_on").asText())
                .thenComparing(e -> e.path("sys_id").asText()))
            .toList();
      } else {
        candidates = element == null ? journal.values().stream().flatMap(List::stream).toList()
            : journal.getOrDefault(element, List.of());
      }
    } else {
      return error(400, "Invalid table", table);
    }
    ArrayNode result = json.createArrayNode();
    for (ObjectNode r : candidates) {
      if (result.size() >= limit) {
        break;
      }
      if (groups.isEmpty() || groups.stream().anyMatch(g -> g.stream().allMatch(c -> holds(r, c)))) {
        result.add(select(r, fields));
      }
    }
    return ok(json.createObjectNode().set("result", result));
  }

  /** The smallest time every OR group starts at, for a range scan; null to scan everything. */
  private static String lowerBound(List<List<String[]>> groups, String field) {
    String min = null;
    for (List<String[]> group : groups) {
      String bound = group.stream()
          .filter(c -> c[0].equals(field) && (c[1].startsWith(">") || c[1].equals("=")))
          .map(c -> c[2]).findFirst().orElse(null);
      if (bound == null) {
        return null;
      }
      min = min == null || bound.compareTo(min) < 0 ? bound : min;
    }
    return min;
  }

  private static String equalTo(List<List<String[]>> groups, String field) {
    return groups.size() != 1 ? null : groups.get(0).stream()
        .filter(c -> c[0].equals(field) && c[1].equals("=")).map(c -> c[2]).findFirst().orElse(null);
  }

  private static String in(List<List<String[]>> groups, String field) {
    return groups.size() != 1 ? null : groups.get(0).stream()
        .filter(c -> c[0].equals(field) && c[1].equals("IN")).map(c -> c[2]).findFirst().orElse(null);
  }

  private static boolean holds(ObjectNode record, String[] condition) {
    String actual = record.path(condition[0]).asText("");
    int c = actual.compareTo(condition[2]);
    return switch (condition[1]) {
      case "=" -> c == 0;
      case "!=" -> c != 0;
      case ">" -> c > 0;
      case ">=" -> c >= 0;
      case "<" -> c < 0;
      case "<=" -> c <= 0;
      case "LIKE" -> actual.contains(condition[2]);
      case "IN" -> List.of(condition[2].split(",")).contains(actual);
      default -> false;
    };
  }

  private ObjectNode patch(ObjectNode record, String body) {
    JsonNode changes = read(body);
    byUpdated.remove(key(record));
    changes.fields().forEachRemaining(field -> {
      if (field.getKey().equals("work_notes") || field.getKey().equals("comments")) {
        String sysId = record.get("sys_id").asText();
        journal.computeIfAbsent(sysId, k -> new ArrayList<>()).add(json.createObjectNode()
            .put("sys_id", String.format("%032x", ++journalEntries)).put("element_id", sysId)
            .put("element", field.getKey()).put("name", "incident")
            .put("value", field.getValue().asText()).put("sys_created_on", writeTime));
      } else {
        record.put(field.getKey(), field.getValue().asText());
      }
    });
    record.put("sys_mod_count", Integer.toString(record.get("sys_mod_count").asInt() + 1));
    record.put("sys_updated_on", writeTime);
    index(record);
    return record;
  }

  private void index(ObjectNode record) {
    bySysId.put(record.get("sys_id").asText(), record);
    byUpdated.put(key(record), record);
  }

  private static String key(ObjectNode record) {
    return record.get("sys_updated_on").asText() + record.get("sys_id").asText();
  }

  private ObjectNode select(ObjectNode record, List<String> fields) {
    if (fields.isEmpty()) {
      return record.deepCopy();
    }
    ObjectNode out = json.createObjectNode();
    fields.forEach(f -> out.set(f, record.has(f) ? record.get(f) : json.getNodeFactory().textNode("")));
    return out;
  }

  private JsonNode read(String body) {
    try {
      return json.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("PATCH body is not JSON", e);
    }
  }

  private static Answer ok(ObjectNode body) {
    return Answer.json(200, body.toString());
  }

  private static Answer error(int status, String message, String detail) {
    ObjectNode body = new ObjectMapper().createObjectNode();
    body.putObject("error").put("message", message).put("detail", detail);
    return Answer.json(status, body.put("status", "failure").toString());
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
