package org.civicsync.examples.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
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
import org.civicsync.crm.salesforce.SalesforceCrm;
import org.civicsync.crm.salesforce.SalesforceLogin;
import org.civicsync.crm.salesforce.SalesforceSettings;
import org.civicsync.examples.bench.LoopbackHttp.Answer;
import org.civicsync.examples.bench.LoopbackHttp.Call;
import org.civicsync.open311.codec.FormFields;

/**
 * The Salesforce adapter against a loopback org: {@code POST /services/oauth2/token} (client
 * credentials), {@code GET /services/data/v60.0/query?q=} answering
 * {@code {"totalSize","done","records":[{"attributes":{…},…}],"nextRecordsUrl"}} in batches of the
 * {@code Sforce-Query-Options} size (200–2,000, default 2,000) with further batches at
 * {@code /query/<locator>-<offset>}, {@code GET}/{@code PATCH /sobjects/Case/<Id>} (PATCH answers
 * 204), {@code POST /sobjects/CaseComment} (201 {@code {"id","success","errors"}}), the error body
 * {@code [{"message","errorCode"}]} and {@code Sforce-Limit-Info} on every answer. Times are
 * stored to the second; each write lands a second after the last. SOQL is understood in the two
 * shapes the adapter sends for listing changes and reading a Case's comments; any other query is
 * answered {@code 400 MALFORMED_QUERY}.
 */
final class SalesforceBench implements BenchTarget {
  private static final String DATA = "/services/data/v60.0";
  private static final String CLIENT_ID = "3MVG9bench.loopback";
  private static final String CLIENT_SECRET = "loopback-only";
  private static final DateTimeFormatter API_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);
  private static final Pattern CASES = Pattern.compile("SELECT (.+) FROM Case WHERE "
      + "SystemModstamp >= (\\S+)(?: AND \\(SystemModstamp > (\\S+) OR Id > '([A-Za-z0-9]+)'\\))? "
      + "ORDER BY SystemModstamp, Id LIMIT (\\d+)");
  private static final Pattern COMMENTS = Pattern.compile(
      "SELECT (.+) FROM CaseComment WHERE ParentId = '([A-Za-z0-9]+)' ORDER BY CreatedDate, Id");
  private static final Pattern PUBLISHED = Pattern.compile("SELECT (.+) FROM CaseComment WHERE "
      + "IsPublished = true AND ParentId IN \\(([^)]*)\\) AND CreatedDate >= (\\S+) "
      + "ORDER BY CreatedDate, Id");
  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private final ObjectMapper json = new ObjectMapper();
  private final Random random = new Random(311);
  private final int queryBatchSize;
  /** Cases by (SystemModstamp second, Id): the order every listing asks for. */
  private final NavigableMap<String, ObjectNode> byModstamp = new TreeMap<>();
  private final Map<String, ObjectNode> cases = new HashMap<>();
  private final Map<String, List<ObjectNode>> comments = new HashMap<>();
  private final Map<String, List<ObjectNode>> openQueries = new HashMap<>();
  private LoopbackHttp server;
  private SalesforceCrm adapter;
  private String token;
  private Instant now;
  private int locators;

  /** With the adapter asking for query batches of {@code queryBatchSize} (200–2,000). */
  SalesforceBench(int queryBatchSize) {
    this.queryBatchSize = queryBatchSize;
  }

  SalesforceBench() {
    this(2000);
  }

  @Override
  public String name() {
    return "salesforce";
  }

  @Override
  public String callUnit() {
    return "HTTP requests";
  }

  @Override
  public List<String> seed(int count) throws IOException {
    Instant from = ServiceNowBench.SEEDED_FROM;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = id("500");
      // Ten Cases a second: pages end inside runs of equal SystemModstamps.
      String stamp = API_TIME.format(from.plusSeconds(i / 10));
      ObjectNode c = json.createObjectNode().put("Id", id)
          .put("CaseNumber", String.format("%08d", 1000 + i)).put("Type", "Pothole")
          .put("Status", "New").put("IsClosed", false).putNull("CivicSync_Reference__c")
          .putNull("CivicSync_Update__c").put("CreatedDate", stamp).put("SystemModstamp", stamp);
      index(c);
      ids.add(id);
    }
    now = from.plusMillis(100L * count).plusSeconds(60);
    server = LoopbackHttp.start("salesforce-stub", this::answer);
    adapter = SalesforceCrm.create("bench-salesforce", SalesforceSettings.of(
            HttpUrl.get(server.url()), new SalesforceLogin.ClientCredentials(CLIENT_ID, CLIENT_SECRET))
        .withQueryBatchSize(queryBatchSize));
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
    return comments.values().stream().flatMap(List::stream)
        .filter(c -> c.path("CommentBody").asText().contains("[civicsync:bench-")).count();
  }

  private synchronized Answer answer(Call call) {
    if (call.path().equals("/services/oauth2/token")) {
      Map<String, String> form = FormFields.parse(call.body()).firstValues();
      if (!"client_credentials".equals(form.get("grant_type"))
          || !CLIENT_ID.equals(form.get("client_id"))
          || !CLIENT_SECRET.equals(form.get("client_secret"))) {
        return answer(400, "{\"error\":\"invalid_client\",\"error_description\":\"invalid client credentials\"}");
      }
      token = "00DBENCH!AQ." + random.nextInt(1_000_000);
      return answer(200, json.createObjectNode().put("access_token", token)
          .put("instance_url", server.url()).put("id", server.url() + "/id/00DBENCH/005BENCH")
          .put("token_type", "Bearer").put("issued_at", Long.toString(now.toEpochMilli()))
          .put("signature", "bench").toString());
    }
    if (token == null || !("Bearer " + token).equals(call.header("Authorization"))) {
      return error(401, "INVALID_SESSION_ID", "Session expired or invalid");
    }
    String path = call.path();
    if (path.equals(DATA + "/query") && call.method().equals("GET")) {
      return query(call.query().getOrDefault("q", ""), batchSize(call.header("Sforce-Query-Options")));
    }
    if (path.startsWith(DATA + "/query/") && call.method().equals("GET")) {
      return moreRecords(path.substring((DATA + "/query/").length()));
    }
    if (path.equals(DATA + "/sobjects/CaseComment") && call.method().equals("POST")) {
      return comment(read(call.body()));
    }
    if (path.startsWith(DATA + "/sobjects/Case/")) {
      ObjectNode c = cases.get(path.substring((DATA + "/sobjects/Case/").length()));
      if (c == null) {
        return error(404, "NOT_FOUND", "The requested resource does not exist");
      }
      if (call.method().equals("GET")) {
        String fields = call.query().get("fields");
        return answer(200, select(c, fields == null ? null : List.of(fields.split(","))).toString());
      }
      if (call.method().equals("PATCH")) {
        byModstamp.remove(key(c));
        read(call.body()).fields().forEachRemaining(f -> c.put(f.getKey(), f.getValue().asText()));
        c.put("IsClosed", c.path("Status").asText().equals("Closed"));
        c.put("SystemModstamp", API_TIME.format(tick()));
        index(c);
        return answer(204, "");
      }
    }
    return error(404, "NOT_FOUND", "The requested resource does not exist");
  }

  private Answer query(String soql, int batchSize) {
    List<ObjectNode> matches = new ArrayList<>();
    Matcher m = CASES.matcher(soql);
    Matcher byParent = COMMENTS.matcher(soql);
    Matcher published = PUBLISHED.matcher(soql);
    if (m.matches()) {
      Instant from = OffsetDateTime.parse(m.group(2)).toInstant();
      String afterId = m.group(4);
      int limit = Integer.parseInt(m.group(5));
      List<String> fields = List.of(m.group(1).split(",\\s*"));
      for (ObjectNode c : byModstamp.tailMap(seconds(from), true).values()) {
        if (matches.size() >= limit) {
          break;
        }
        Instant stamp = OffsetDateTime.parse(c.get("SystemModstamp").asText(), API_TIME).toInstant();
        if (afterId == null || stamp.isAfter(from) || c.get("Id").asText().compareTo(afterId) > 0) {
          matches.add(select(c, fields));
        }
      }
    } else if (byParent.matches()) {
      List<String> fields = List.of(byParent.group(1).split(",\\s*"));
      comments.getOrDefault(byParent.group(2), List.of()).forEach(c -> matches.add(select(c, fields)));
    } else if (published.matches()) {
      // The published comments on a page of Cases, as the change feed asks for them.
      List<String> fields = List.of(published.group(1).split(",\\s*"));
      Instant from = OffsetDateTime.parse(published.group(3)).toInstant();
      for (String literal : published.group(2).split(",\\s*")) {
        comments.getOrDefault(literal.replace("'", ""), List.of()).stream()
            .filter(c -> c.path("IsPublished").asBoolean(false))
            .filter(c -> !OffsetDateTime.parse(c.get("CreatedDate").asText(), API_TIME).toInstant()
                .isBefore(from))
            .forEach(c -> matches.add(select(c, fields)));
      }
      matches.sort(Comparator.comparing((ObjectNode c) -> c.get("CreatedDate").asText())
          .thenComparing(c -> c.get("Id").asText()));
    } else {
      return error(400, "MALFORMED_QUERY", "the stub does not read this query");
    }
    return batch("01gBENCH" + String.format("%010d", ++locators), 0, batchSize, matches);
  }

  private Answer moreRecords(String locatorAndOffset) {
    int dash = locatorAndOffset.lastIndexOf('-');
    List<ObjectNode> matches = dash < 0 ? null : openQueries.get(locatorAndOffset.substring(0, dash));
    if (matches == null) {
      return error(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
    }
    String[] batchAndOffset = locatorAndOffset.substring(dash + 1).split("x");
    return batch(locatorAndOffset.substring(0, dash), Integer.parseInt(batchAndOffset[0]),
        Integer.parseInt(batchAndOffset[1]), matches);
  }

  /** {@code nextRecordsUrl} is {@code /query/<locator>-<offset>x<batch size>}: opaque to the client. */
  private Answer batch(String locator, int offset, int size, List<ObjectNode> all) {
    ArrayNode records = json.createArrayNode();
    all.subList(offset, Math.min(all.size(), offset + size)).forEach(records::add);
    boolean done = offset + size >= all.size();
    ObjectNode body = json.createObjectNode().put("totalSize", all.size()).put("done", done);
    if (done) {
      openQueries.remove(locator);
    } else {
      openQueries.put(locator, all);
      body.put("nextRecordsUrl", DATA + "/query/" + locator + "-" + (offset + size) + "x" + size);
    }
    body.set("records", records);
    return answer(200, body.toString());
  }

  private Answer comment(JsonNode body) {
    String parent = body.path("ParentId").asText();
    if (!cases.containsKey(parent)) {
      return error(400, "FIELD_INTEGRITY_EXCEPTION", "Parent ID: id value of incorrect type: " + parent);
    }
    ObjectNode comment = ((ObjectNode) body).deepCopy().put("Id", id("00a"))
        .put("CreatedDate", API_TIME.format(tick()));
    comments.computeIfAbsent(parent, p -> new ArrayList<>()).add(comment);
    ObjectNode answer = json.createObjectNode().put("id", comment.get("Id").asText()).put("success", true);
    answer.set("errors", json.createArrayNode());
    return answer(201, answer.toString());
  }

  private Instant tick() {
    now = now.plusSeconds(1);
    return now;
  }

  private void index(ObjectNode c) {
    cases.put(c.get("Id").asText(), c);
    byModstamp.put(key(c), c);
  }

  private static String key(ObjectNode c) {
    return seconds(OffsetDateTime.parse(c.get("SystemModstamp").asText(), API_TIME).toInstant())
        + c.get("Id").asText();
  }

  private static String seconds(Instant time) {
    return String.format("%012d", time.getEpochSecond());
  }

  private ObjectNode select(ObjectNode record, List<String> fields) {
    ObjectNode out = json.createObjectNode();
    String type = record.get("Id").asText().startsWith("500") ? "Case" : "CaseComment";
    out.putObject("attributes").put("type", type)
        .put("url", DATA + "/sobjects/" + type + "/" + record.get("Id").asText());
    if (fields == null) {
      out.setAll(record);
    } else {
      fields.forEach(f -> out.set(f.trim(), record.has(f.trim()) ? record.get(f.trim()) : json.nullNode()));
    }
    return out;
  }

  /** An 18-character id: key prefix, random body, so Id order is not creation order. */
  private String id(String prefix) {
    StringBuilder b = new StringBuilder(prefix).append("Ak");
    while (b.length() < 15) {
      b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return b.append("AAA").toString();
  }

  private JsonNode read(String body) {
    try {
      return json.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("request body is not JSON", e);
    }
  }

  private Answer answer(int status, String body) {
    return new Answer(status, body,
        Map.of("Sforce-Limit-Info", "api-usage=" + server.requests() + "/5000000"));
  }

  private Answer error(int status, String errorCode, String message) {
    ArrayNode body = json.createArrayNode();
    body.addObject().put("message", message).put("errorCode", errorCode);
    return answer(status, body.toString());
  }

  private static int batchSize(String options) {
    if (options != null && options.matches("batchSize=\\d+")) {
      return Math.max(200, Math.min(2000, Integer.parseInt(options.substring(10))));
    }
    return 2000;
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
