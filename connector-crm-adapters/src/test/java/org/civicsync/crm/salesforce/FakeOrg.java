package org.civicsync.crm.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * A Salesforce org behind WireMock, answering as the REST API and the OAuth token endpoint are
 * documented: token responses {@code {"access_token","instance_url","id","token_type",
 * "issued_at","signature"}}; {@code 400 {"error":"invalid_client",…}}; query results
 * {@code {"totalSize","done","records":[{"attributes":{…},…}],"nextRecordsUrl"}} in batches of
 * the {@code Sforce-Query-Options} size; upsert answering 201 / 200 with
 * {@code {"id","success","errors","created"}}; PATCH answering 204; error bodies
 * {@code [{"message":…,"errorCode":…}]}; {@code Sforce-Limit-Info: api-usage=N/M} on every answer.
 * Times are stored to the second. Only what the adapter uses is here.
 */
final class FakeOrg implements ResponseDefinitionTransformerV2 {
  static final String NAME = "salesforce-org";
  static final String DATA = "/services/data/v60.0";
  private static final DateTimeFormatter API_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);
  private static final Set<String> CLOSED = Set.of("Closed");

  private final ObjectMapper json = new ObjectMapper();
  private final Random random = new Random(311);
  private final Map<String, List<ObjectNode>> objects = new LinkedHashMap<>();
  private final Map<String, List<ObjectNode>> cursors = new LinkedHashMap<>();
  private final Map<String, Integer> batchSizes = new LinkedHashMap<>();
  private final Set<String> validTokens = new HashSet<>();
  private final SalesforceLogin login;
  private final PublicKey jwtKey;
  private Instant now = Instant.parse("2024-07-01T09:00:00Z");
  private int tokensIssued;
  private int apiUsage = 120;
  private int apiAllowance = 15000;
  private int caseNumbers = 1000;
  private final List<ObjectNode> caseTypes = new ArrayList<>();

  FakeOrg(SalesforceLogin login, PublicKey jwtKey) {
    this.login = login;
    this.jwtKey = jwtKey;
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

  synchronized void expireTokens() {
    validTokens.clear();
  }

  synchronized void apiUsage(int used, int allowed) {
    apiUsage = used;
    apiAllowance = allowed;
  }

  /** A Case made in the org itself, at the org's current second. */
  synchronized ObjectNode insertCase(Map<String, String> fields) {
    ObjectNode record = json.createObjectNode();
    record.put("Id", id("500"));
    record.put("CaseNumber", String.format("%08d", ++caseNumbers));
    record.put("Status", "New");
    fields.forEach(record::put);
    record.put("IsClosed", CLOSED.contains(record.path("Status").asText()));
    record.put("CreatedDate", API_TIME.format(now));
    record.put("SystemModstamp", API_TIME.format(now));
    objects.computeIfAbsent("Case", o -> new ArrayList<>()).add(record);
    return record;
  }

  /**
   * An officer adds a comment to a Case in the org, published to the public or not. The Case's
   * {@code SystemModstamp} moves with it, which is what the adapter's feed relies on to list it.
   */
  synchronized void officerComment(String caseId, String text, boolean published) {
    ObjectNode parent = find("Case", caseId).orElseThrow();
    tick();
    ObjectNode comment = json.createObjectNode().put("Id", id("00a")).put("ParentId", caseId)
        .put("CommentBody", text).put("IsPublished", published)
        .put("CreatedDate", API_TIME.format(now));
    objects.computeIfAbsent("CaseComment", o -> new ArrayList<>()).add(comment);
    parent.put("SystemModstamp", API_TIME.format(now));
  }

  /** Adds a value to the Case's {@code Type} picklist, as an admin does in Setup. */
  synchronized void caseType(String value, String label, boolean active) {
    caseTypes.add(json.createObjectNode().put("active", active).put("defaultValue", false)
        .put("label", label).putNull("validFor").put("value", value));
  }

  synchronized List<ObjectNode> records(String object) {
    return List.copyOf(objects.getOrDefault(object, List.of()));
  }

  @Override
  public synchronized ResponseDefinition transform(ServeEvent event) {
    Request request = event.getRequest();
    String path = request.getUrl().split("\\?", 2)[0];
    if (path.equals("/services/oauth2/token")) {
      return token(request);
    }
    String header = request.getHeader("Authorization");
    if (header == null || !header.startsWith("Bearer ")
        || !validTokens.contains(header.substring(7))) {
      return error(401, "INVALID_SESSION_ID", "Session expired or invalid");
    }
    apiUsage++;
    String method = request.getMethod().getName();
    if (path.equals(DATA + "/query") && method.equals("GET")) {
      return query(request.queryParameter("q").firstValue(),
          batchSize(request.getHeader("Sforce-Query-Options")));
    }
    if (path.startsWith(DATA + "/query/") && method.equals("GET")) {
      return moreRecords(path.substring((DATA + "/query/").length()));
    }
    if (!path.startsWith(DATA + "/sobjects/")) {
      return error(404, "NOT_FOUND", "The requested resource does not exist");
    }
    String[] parts = path.substring((DATA + "/sobjects/").length()).split("/");
    String object = parts[0];
    if (parts.length == 2 && parts[1].equals("describe") && method.equals("GET")) {
      return describe(object);
    }
    if (parts.length == 3 && method.equals("PATCH")) {
      return upsert(object, parts[1], decode(parts[2]), read(request.getBodyAsString()));
    }
    if (parts.length == 1 && method.equals("POST")) {
      return insert(object, read(request.getBodyAsString()));
    }
    if (parts.length == 2) {
      Optional<ObjectNode> record = find(object, parts[1]);
      if (record.isEmpty()) {
        return error(404, "NOT_FOUND", "The requested resource does not exist");
      }
      if (method.equals("GET")) {
        return json(200, select(record.get(), request.queryParameter("fields").isPresent()
            ? List.of(request.queryParameter("fields").firstValue().split(",")) : null));
      }
      if (method.equals("PATCH")) {
        update(record.get(), read(request.getBodyAsString()));
        return respond(204, null);
      }
    }
    return error(405, "METHOD_NOT_ALLOWED", "HTTP Method '" + method + "' not allowed.");
  }

  /** The sObject Describe, cut to a few of Case's fields: enough for the adapter. */
  private ResponseDefinition describe(String object) {
    ObjectNode body = json.createObjectNode().put("name", object).put("label", object)
        .put("queryable", true);
    var fields = body.putArray("fields");
    fields.addObject().put("name", "Subject").put("type", "string").putArray("picklistValues");
    var type = fields.addObject().put("name", "Type").put("label", "Case Type")
        .put("type", "picklist");
    type.putArray("picklistValues").addAll(caseTypes);
    fields.addObject().put("name", "Description").put("type", "textarea")
        .putArray("picklistValues");
    return json(200, body);
  }

  private ResponseDefinition token(Request request) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : request.getBodyAsString().split("&")) {
      String[] kv = pair.split("=", 2);
      form.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
    }
    boolean good;
    String refusal;
    if (login instanceof SalesforceLogin.ClientCredentials cc) {
      good = "client_credentials".equals(form.get("grant_type"))
          && cc.clientId().equals(form.get("client_id"))
          && cc.clientSecret().equals(form.get("client_secret"));
      refusal = "{\"error\":\"invalid_client\",\"error_description\":\"invalid client credentials\"}";
    } else {
      SalesforceLogin.JwtBearer jwt = (SalesforceLogin.JwtBearer) login;
      good = "urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))
          && validAssertion(form.getOrDefault("assertion", ""), jwt);
      refusal = "{\"error\":\"invalid_grant\",\"error_description\":\"invalid assertion\"}";
    }
    if (!good) {
      return respond(400, refusal);
    }
    String token = "00DAk000000Abc!AQ.tok" + (++tokensIssued);
    validTokens.add(token);
    ObjectNode body = json.createObjectNode().put("access_token", token)
        .put("signature", "sig" + tokensIssued).put("scope", "api")
        .put("instance_url", "https://council.my.salesforce.com")
        .put("id", "https://login.salesforce.com/id/00DAk000000Abc/005Ak000000Xyz")
        .put("token_type", "Bearer").put("issued_at", Long.toString(now.toEpochMilli()));
    return json(200, body);
  }

  private boolean validAssertion(String assertion, SalesforceLogin.JwtBearer jwt) {
    String[] parts = assertion.split("\\.");
    if (parts.length != 3) {
      return false;
    }
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initVerify(jwtKey);
      rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
        return false;
      }
      JsonNode head = json.readTree(Base64.getUrlDecoder().decode(parts[0]));
      JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
      return head.path("alg").asText().equals("RS256")
          && claims.path("iss").asText().equals(jwt.clientId())
          && claims.path("sub").asText().equals(jwt.username())
          && claims.path("aud").asText().equals(jwt.audience())
          && claims.path("exp").asLong() > now.getEpochSecond() - 600; // the test's clock is real
    } catch (Exception e) {
      return false;
    }
  }

  private ResponseDefinition query(String q, int batchSize) {
    Soql soql;
    try {
      soql = new Soql(q);
    } catch (IllegalArgumentException e) {
      return error(400, "MALFORMED_QUERY", "unexpected token: " + e.getMessage());
    }
    List<ObjectNode> matches = objects.getOrDefault(soql.object, List.of()).stream()
        .filter(soql.where).sorted(soql.order)
        .limit(soql.limit == null ? Long.MAX_VALUE : soql.limit)
        .map(r -> select(r, soql.fields)).toList();
    String locator = "01gAk00000" + id("").substring(0, 8);
    cursors.put(locator, matches);
    return batch(locator, 0, batchSize, matches);
  }

  private ResponseDefinition moreRecords(String locatorAndOffset) {
    int dash = locatorAndOffset.lastIndexOf('-');
    List<ObjectNode> matches = dash < 0 ? null : cursors.get(locatorAndOffset.substring(0, dash));
    if (matches == null) {
      return error(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
    }
    int offset = Integer.parseInt(locatorAndOffset.substring(dash + 1));
    String locator = locatorAndOffset.substring(0, dash);
    return batch(locator, offset, batchSizes.get(locator), matches);
  }

  private ResponseDefinition batch(String locator, int offset, int size, List<ObjectNode> all) {
    batchSizes.put(locator, size);
    ArrayNode records = json.createArrayNode();
    all.subList(offset, Math.min(all.size(), offset + size)).forEach(records::add);
    boolean done = offset + size >= all.size();
    ObjectNode body = json.createObjectNode().put("totalSize", all.size()).put("done", done);
    if (!done) {
      body.put("nextRecordsUrl", DATA + "/query/" + locator + "-" + (offset + size));
    }
    body.set("records", records);
    return json(200, body);
  }

  private ResponseDefinition upsert(String object, String field, String value, JsonNode body) {
    List<ObjectNode> matches = objects.getOrDefault(object, List.of()).stream()
        .filter(r -> r.path(field).asText().equals(value)).toList();
    if (matches.size() > 1) {
      ArrayNode urls = json.createArrayNode();
      matches.forEach(r -> urls.add(DATA + "/sobjects/" + object + "/" + r.get("Id").asText()));
      return json(300, urls);
    }
    ObjectNode record;
    boolean created = matches.isEmpty();
    if (created) {
      tick();
      Map<String, String> fields = new LinkedHashMap<>();
      body.fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText()));
      fields.put(field, value);
      record = insertCase(fields);
    } else {
      record = matches.get(0);
      update(record, body);
    }
    ObjectNode answer = json.createObjectNode().put("id", record.get("Id").asText())
        .put("success", true).put("created", created);
    answer.set("errors", json.createArrayNode());
    return json(created ? 201 : 200, answer);
  }

  private ResponseDefinition insert(String object, JsonNode body) {
    if (!object.equals("CaseComment")) {
      return error(404, "NOT_FOUND", "The requested resource does not exist");
    }
    String parent = body.path("ParentId").asText();
    if (find("Case", parent).isEmpty()) {
      return error(400, "FIELD_INTEGRITY_EXCEPTION",
          "Parent ID: id value of incorrect type: " + parent);
    }
    tick();
    ObjectNode comment = ((ObjectNode) body).deepCopy();
    comment.put("Id", id("00a"));
    comment.put("CreatedDate", API_TIME.format(now));
    objects.computeIfAbsent("CaseComment", o -> new ArrayList<>()).add(comment);
    ObjectNode answer = json.createObjectNode().put("id", comment.get("Id").asText())
        .put("success", true);
    answer.set("errors", json.createArrayNode());
    return json(201, answer);
  }

  private void update(ObjectNode record, JsonNode changes) {
    tick();
    changes.fields().forEachRemaining(f -> record.put(f.getKey(), f.getValue().asText()));
    record.put("IsClosed", CLOSED.contains(record.path("Status").asText()));
    record.put("SystemModstamp", API_TIME.format(now));
  }

  /** Each write through the API lands a second after the last: versions are seconds apart. */
  private void tick() {
    now = now.plusSeconds(1);
  }

  private ObjectNode select(ObjectNode record, List<String> fields) {
    ObjectNode out = json.createObjectNode();
    String object = record.get("Id").asText().startsWith("500") ? "Case" : "CaseComment";
    out.set("attributes", json.createObjectNode().put("type", object)
        .put("url", DATA + "/sobjects/" + object + "/" + record.get("Id").asText()));
    if (fields == null) {
      out.setAll(record);
    } else {
      for (String field : fields) {
        out.set(field.trim(), record.has(field.trim()) ? record.get(field.trim())
            : json.nullNode());
      }
    }
    return out;
  }

  private Optional<ObjectNode> find(String object, String id) {
    return objects.getOrDefault(object, List.of()).stream()
        .filter(r -> r.path("Id").asText().equals(id)).findFirst();
  }

  /** An 18-character id: key prefix, random body, so Id order is not insertion order. */
  private String id(String prefix) {
    String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    StringBuilder b = new StringBuilder(prefix).append("Ak");
    while (b.length() < 15) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.append("AAA").toString();
  }

  private JsonNode read(String body) {
    try {
      return json.readTree(body);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private ResponseDefinition error(int status, String errorCode, String message) {
    ArrayNode body = json.createArrayNode();
    body.addObject().put("message", message).put("errorCode", errorCode);
    return json(status, body);
  }

  private ResponseDefinition json(int status, JsonNode body) {
    return respond(status, body.toString());
  }

  private ResponseDefinition respond(int status, String body) {
    ResponseDefinitionBuilder answer = ResponseDefinitionBuilder.responseDefinition()
        .withStatus(status)
        .withHeader("Content-Type", "application/json;charset=UTF-8")
        .withHeader("Sforce-Limit-Info", "api-usage=" + apiUsage + "/" + apiAllowance);
    return (body == null ? answer : answer.withBody(body)).build();
  }

  private static int batchSize(String options) {
    if (options != null && options.matches("batchSize=\\d+")) {
      return Math.max(200, Math.min(2000, Integer.parseInt(options.substring(10))));
    }
    return 2000;
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }
}
