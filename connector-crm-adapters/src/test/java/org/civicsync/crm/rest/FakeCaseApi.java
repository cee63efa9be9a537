package org.civicsync.crm.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An in-house CRM behind WireMock, in one of two API dialects, so that one adapter configured two
 * ways is shown to follow its configuration:
 *
 * <ul>
 *   <li>{@link Dialect#CASES}: a modern API. OAuth 2.0 client credentials at
 *       {@code /oauth/token} (client authenticating with HTTP Basic, RFC 6749 4.4);
 *       {@code /api/v2/cases} answering {@code {"data": ...}}, string ids, ISO-8601
 *       {@code updated_at}, a {@code version}; {@code Idempotency-Key} dedupes creates and
 *       {@code Idempotent-Replayed: true} marks a replay; a note resource with an
 *       {@code update_id} field; paging by an opaque {@code links.next} URL; errors as
 *       {@code {"error":{"code":...,"message":...}}}. A case keeps the {@code title},
 *       {@code description} and {@code location} it was created with, and a
 *       {@code created_at}.
 *   <li>{@link Dialect#TICKETS}: an older API. An {@code X-Api-Key} header;
 *       {@code /v1/tickets} answering bare arrays and objects, numeric ids, epoch-millisecond
 *       {@code lastModified}, no version; comments embedded in the ticket; state set with
 *       {@code PUT /v1/tickets/{id}/state}; limit/offset paging announced by an RFC 8288
 *       {@code Link: <...>; rel="next"} header; errors as {@code {"message":...}}.
 * </ul>
 *
 * Both list changes "modified at or after" a time, oldest first, with ties in descending id
 * order (so an adapter that trusts the server's tie order breaks). Every write moves the clock
 * on by a second.
 */
final class FakeCaseApi implements ResponseDefinitionTransformerV2 {
  static final String NAME = "fake-case-api";
  static final String CLIENT_ID = "civicsync-connector";
  static final String CLIENT_SECRET = "cl1ent-s3cret";
  static final String API_KEY = "k3y-0f-the-api";

  enum Dialect { CASES, TICKETS }

  /** One case as the CRM stores it. */
  static final class Case {
    final String id;
    String reference;
    String type;
    String status;
    Instant modified;
    long version = 1;
    Instant created;
    /** Title, description, location and whatever else an officer typed (CASES only). */
    ObjectNode particulars;
    final List<String[]> notes = new ArrayList<>(); // {text, updateId or null}

    Case(String id) {
      this.id = id;
    }
  }

  private final ObjectMapper json = new ObjectMapper();
  private final Dialect dialect;
  private final List<Case> cases = new ArrayList<>();
  private final Map<String, String> idempotencyKeys = new HashMap<>();
  private final Set<String> validTokens = new HashSet<>();
  private Instant now = Instant.parse("2024-07-01T09:00:00Z");
  private int tokensIssued;
  private int ids = 1000;

  FakeCaseApi(Dialect dialect) {
    this.dialect = dialect;
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

  /** A case made by an officer in the CRM, at the CRM's current time (no tick). */
  synchronized Case raise(String type) {
    Case c = new Case(dialect == Dialect.CASES ? "c-" + (++ids) : Integer.toString(++ids));
    c.type = type;
    c.status = dialect == Dialect.CASES ? "new" : "OPEN";
    c.created = now;
    c.modified = now;
    c.particulars = json.createObjectNode();
    cases.add(c);
    return c;
  }

  /** Moves the CRM's clock on, as time passes between an officer's edits. */
  synchronized void advance(long seconds) {
    now = now.plusSeconds(seconds);
  }

  synchronized List<Case> cases() {
    return List.copyOf(cases);
  }

  @Override
  public synchronized ResponseDefinition transform(ServeEvent event) {
    Request request = event.getRequest();
    String[] pathAndQuery = request.getUrl().split("\\?", 2);
    String path = pathAndQuery[0];
    Map<String, String> query = query(pathAndQuery.length > 1 ? pathAndQuery[1] : "");
    if (dialect == Dialect.CASES && path.equals("/oauth/token")) {
      return token(request);
    }
    if (!authorised(request)) {
      return error(401, "unauthorized", dialect == Dialect.CASES
          ? "The access token is invalid or has expired" : "Invalid API key");
    }
    String prefix = dialect == Dialect.CASES ? "/api/v2/cases" : "/v1/tickets";
    if (!path.startsWith(prefix)) {
      return error(404, "not_found", "No route " + path);
    }
    String[] parts = path.substring(prefix.length()).split("/");
    String method = request.getMethod().getName();
    if (parts.length <= 1) {
      if (method.equals("POST")) {
        return create(request);
      }
      return list(query, prefix);
    }
    Optional<Case> found = cases.stream().filter(c -> c.id.equals(parts[1])).findFirst();
    if (found.isEmpty()) {
      return error(404, "not_found", "No case " + parts[1]);
    }
    Case c = found.get();
    if (parts.length == 2 && method.equals("GET")) {
      return ok(200, dialect == Dialect.CASES
          ? json.createObjectNode().set("data", render(c)) : render(c));
    }
    JsonNode body = read(request.getBodyAsString());
    if (dialect == Dialect.CASES && parts.length == 3 && parts[2].equals("notes")) {
      if (method.equals("GET")) {
        ArrayNode notes = json.createArrayNode();
        c.notes.forEach(n -> notes.addObject().put("body", n[0]).put("update_id", n[1]));
        return ok(200, json.createObjectNode().set("data", notes));
      }
      if (!body.hasNonNull("body")) {
        return error(422, "invalid", "body is required");
      }
      c.notes.add(new String[] {body.get("body").asText(), body.path("update_id").asText(null)});
      touch(c);
      return ok(201, json.createObjectNode().set("data",
          json.createObjectNode().put("id", "n-" + (++ids)).put("body", body.get("body").asText())));
    }
    if (dialect == Dialect.CASES && parts.length == 2 && method.equals("PATCH")) {
      if (body.has("status")) {
        String status = body.get("status").asText();
        if (!Set.of("new", "in_progress", "resolved", "closed").contains(status)) {
          return error(422, "invalid_status", "Unknown status '" + status + "'");
        }
        if (status.equals("resolved") && !body.hasNonNull("resolution")) {
          return error(422, "resolution_required", "A resolution is required to resolve a case");
        }
        c.status = status;
      }
      touch(c);
      return ok(200, json.createObjectNode().set("data", render(c)));
    }
    if (dialect == Dialect.TICKETS && parts.length == 3 && parts[2].equals("comments")
        && method.equals("POST")) {
      c.notes.add(new String[] {body.path("text").asText(), null});
      touch(c);
      return ok(201, json.createObjectNode().put("commentId", ++ids));
    }
    if (dialect == Dialect.TICKETS && parts.length == 3 && parts[2].equals("state")
        && method.equals("PUT")) {
      c.status = body.path("state").asText();
      touch(c);
      return ok(200, render(c));
    }
    return error(405, "method_not_allowed", method + " " + path);
  }

  private ResponseDefinition token(Request request) {
    String expected = "Basic " + Base64.getEncoder().encodeToString(
        (CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
    Map<String, String> form = query(request.getBodyAsString());
    if (!expected.equals(request.getHeader("Authorization"))) {
      // RFC 6749 section 5.2.
      return new ResponseDefinition(401, "{\"error\":\"invalid_client\"}");
    }
    if (!"client_credentials".equals(form.get("grant_type"))) {
      return new ResponseDefinition(400, "{\"error\":\"unsupported_grant_type\"}");
    }
    String token = "at-" + (++tokensIssued);
    validTokens.add(token);
    return ok(200, json.createObjectNode().put("access_token", token)
        .put("token_type", "Bearer").put("expires_in", 3600).put("scope", form.get("scope")));
  }

  private boolean authorised(Request request) {
    if (dialect == Dialect.TICKETS) {
      return API_KEY.equals(request.getHeader("X-Api-Key"));
    }
    String header = request.getHeader("Authorization");
    return header != null && header.startsWith("Bearer ")
        && validTokens.contains(header.substring(7));
  }

  private ResponseDefinition create(Request request) {
    JsonNode body = read(request.getBodyAsString());
    String key = request.getHeader("Idempotency-Key");
    if (dialect == Dialect.CASES && key != null && idempotencyKeys.containsKey(key)) {
      Case earlier = cases.stream().filter(c -> c.id.equals(idempotencyKeys.get(key)))
          .findFirst().orElseThrow();
      return json(201, json.createObjectNode().set("data", render(earlier)),
          new HttpHeader("Idempotent-Replayed", "true"));
    }
    String refField = dialect == Dialect.CASES ? "external_ref" : "reference";
    String typeField = dialect == Dialect.CASES ? "category" : "kind";
    if (!body.hasNonNull(refField) || !body.hasNonNull(typeField)) {
      return error(422, "invalid", refField + " and " + typeField + " are required");
    }
    tick();
    Case c = raise(body.get(typeField).asText());
    c.reference = body.get(refField).asText();
    for (String field : List.of("title", "description", "location")) {
      if (dialect == Dialect.CASES && body.has(field)) {
        c.particulars.set(field, body.get(field));
      }
    }
    if (key != null) {
      idempotencyKeys.put(key, c.id);
    }
    return ok(201, dialect == Dialect.CASES
        ? json.createObjectNode().set("data", render(c)) : render(c));
  }

  private ResponseDefinition list(Map<String, String> query, String prefix) {
    String refParam = dialect == Dialect.CASES ? "external_ref" : "reference";
    if (query.containsKey(refParam)) {
      ArrayNode found = json.createArrayNode();
      cases.stream().filter(c -> query.get(refParam).equals(c.reference))
          .forEach(c -> found.add(render(c)));
      return ok(200, dialect == Dialect.CASES
          ? json.createObjectNode().<ObjectNode>set("data", found).set("links",
              json.createObjectNode().putNull("next"))
          : found);
    }
    String sinceParam = dialect == Dialect.CASES ? "updated_since" : "changedSince";
    String sizeParam = dialect == Dialect.CASES ? "page_size" : "limit";
    if (!query.containsKey(sinceParam) || !query.containsKey(sizeParam)) {
      return error(400, "bad_request", sinceParam + " and " + sizeParam + " are required");
    }
    Instant since = dialect == Dialect.CASES ? Instant.parse(query.get(sinceParam))
        : Instant.ofEpochMilli(Long.parseLong(query.get(sinceParam)));
    int size = Integer.parseInt(query.get(sizeParam));
    int offset = dialect == Dialect.CASES
        ? Integer.parseInt(query.getOrDefault("page_token", "0"))
        : Integer.parseInt(query.getOrDefault("offset", "0"));
    List<Case> all = cases.stream().filter(c -> !c.modified.isBefore(since))
        .sorted(Comparator.comparing((Case c) -> c.modified)
            .thenComparing((Case c) -> c.id, Comparator.reverseOrder()))
        .toList();
    List<Case> page = all.subList(Math.min(offset, all.size()),
        Math.min(offset + size, all.size()));
    ArrayNode items = json.createArrayNode();
    page.forEach(c -> items.add(render(c)));
    boolean more = offset + size < all.size();
    String sinceText = enc(query.get(sinceParam));
    if (dialect == Dialect.CASES) {
      ObjectNode links = json.createObjectNode();
      if (more) {
        links.put("next", prefix + "?updated_since=" + sinceText + "&page_size=" + size
            + "&page_token=" + (offset + size));
      } else {
        links.putNull("next");
      }
      return ok(200, json.createObjectNode().<ObjectNode>set("data", items).set("links", links));
    }
    return more
        ? json(200, items, new HttpHeader("Link", "<" + prefix + "?changedSince=" + sinceText
            + "&limit=" + size + "&offset=" + (offset + size) + ">; rel=\"next\", <" + prefix
            + "?changedSince=" + sinceText + "&limit=" + size + ">; rel=\"first\""))
        : ok(200, items);
  }

  private ObjectNode render(Case c) {
    ObjectNode node = json.createObjectNode();
    if (dialect == Dialect.CASES) {
      node.put("id", c.id).put("external_ref", c.reference).put("category", c.type)
          .put("status", c.status).put("updated_at", c.modified.toString())
          .put("version", c.version).put("created_at", c.created.toString());
      node.setAll(c.particulars);
    } else {
      node.put("ticketId", Long.parseLong(c.id)).put("reference", c.reference)
          .put("kind", c.type).put("state", c.status)
          .put("lastModified", c.modified.toEpochMilli());
      ArrayNode comments = node.putArray("comments");
      c.notes.forEach(n -> comments.addObject().put("text", n[0]));
    }
    return node;
  }

  private void touch(Case c) {
    tick();
    c.modified = now;
    c.version++;
  }

  private void tick() {
    now = now.plusSeconds(1);
  }

  private ResponseDefinition error(int status, String code, String message) {
    ObjectNode body = dialect == Dialect.CASES
        ? json.createObjectNode().set("error",
            json.createObjectNode().put("code", code).put("message", message))
        : json.createObjectNode().put("message", message);
    return ok(status, body);
  }

  private ResponseDefinition ok(int status, JsonNode body) {
    return json(status, body);
  }

  private static ResponseDefinition json(int status, JsonNode body, HttpHeader... headers) {
    ResponseDefinitionBuilder answer = ResponseDefinitionBuilder.responseDefinition()
        .withStatus(status).withHeader("Content-Type", "application/json")
        .withBody(body.toString());
    for (HttpHeader header : headers) {
      answer.withHeader(header.key(), header.firstValue());
    }
    return answer.build();
  }

  private JsonNode read(String body) {
    if (body == null || body.isBlank()) {
      return json.createObjectNode();
    }
    try {
      return json.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Map<String, String> query(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String pair : text.split("&")) {
      String[] kv = pair.split("=", 2);
      out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return out;
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
