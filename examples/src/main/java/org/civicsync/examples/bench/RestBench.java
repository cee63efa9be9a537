package org.civicsync.examples.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.crm.rest.RestProvider;
import org.civicsync.examples.bench.LoopbackHttp.Answer;
import org.civicsync.examples.bench.LoopbackHttp.Call;
import org.civicsync.open311.codec.FormFields;

/**
 * The generic REST adapter (crm type {@code rest}), configured as {@code examples/config/rest.yaml}
 * configures it, against a loopback in-house case API of that shape: OAuth 2.0 client
 * credentials at {@code /oauth/token} with the client in HTTP Basic (RFC 6749 2.3.1);
 * {@code GET /api/v2/cases?updated_since=&page_size=&sort=updated_at} answering cases updated at
 * or after the time, oldest first, ties in descending id order (the adapter must not trust the
 * server's tie order), as {@code {"data":[...],"links":{"next":...}}} with an opaque
 * {@code page_token} in the next link; {@code GET /api/v2/cases/{id}}; {@code GET} and
 * {@code POST /api/v2/cases/{id}/notes} (a note moves the case's {@code updated_at} and
 * {@code version}); errors as {@code {"error":{"code","message"}}}. Cases are kept in listing
 * order so that a page costs its own length.
 */
final class RestBench implements BenchTarget {
  private static final String CLIENT_ID = "civicsync-connector";
  private static final String CLIENT_SECRET = "loopback-only";
  private static final String CASES = "/api/v2/cases";
  /** The adapter's settings: examples/config/rest.yaml's, on loopback. */
  private static final String SETTINGS = """
      base_url: ${base}/api/v2
      auth:
        type: oauth2_client_credentials
        token_url: ${base}/oauth/token
        client_id: civicsync-connector
        client_secret: ${secret}
        scope: cases.write
        client_auth: basic
      operations:
        create:
          method: POST
          url: /cases
          body: { external_ref: "{external_reference}", category: "{case_type}", title: "{title}", description: "{description}" }
        find: { method: GET, url: "/cases?external_ref={external_reference}" }
        get: { method: GET, url: "/cases/{id}" }
        changes: { method: GET, url: "/cases?updated_since={since}&page_size={page_size}&sort=updated_at" }
        notes: { method: GET, url: "/cases/{id}/notes" }
        note: { method: POST, url: "/cases/{id}/notes", body: { body: "{note}", update_id: "{update_id}" } }
        status: { method: PATCH, url: "/cases/{id}", body: { status: "{status}" } }
        close: { method: PATCH, url: "/cases/{id}", body: { status: "{status}", resolution: "{close_reason}" } }
      response:
        items: /data
        case: /data
        id: /id
        external_reference: /external_ref
        status: /status
        modified: /updated_at
        version: /version
        case_type: /category
        notes: /data
        note_text: /body
        note_update_id: /update_id
        error_message: /error/message
      paging: { style: next_link, next: /links/next, max_pages: 20 }
      modified_time: { format: iso_instant }
      idempotency: { style: header, header: Idempotency-Key, replayed_header: Idempotent-Replayed }
      closed_statuses: [resolved, closed]
      close_status: resolved
      changes_overlap_seconds: 1
      max_page_size: 200
      """;

  private final ObjectMapper json = new ObjectMapper();
  /** Cases by (updated_at, descending id): the order the list answers in. */
  private final NavigableMap<String, ObjectNode> byUpdated = new TreeMap<>();
  private final Map<String, ObjectNode> byId = new HashMap<>();
  private final Map<String, List<ObjectNode>> notes = new HashMap<>();
  private LoopbackHttp server;
  private CrmAdapter adapter;
  private String token;
  private int tokens;
  private long noteIds;
  private Instant now;

  @Override
  public String name() {
    return "rest";
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
      String id = String.format("c-%07d", 1_000_000 + i);
      // Ten cases a second: the overlap re-reads a second, and pages end inside runs of ties.
      ObjectNode c = json.createObjectNode().put("id", id).putNull("external_ref")
          .put("category", "pothole").put("status", "new")
          .put("updated_at", from.plusSeconds(i / 10).toString()).put("version", 1);
      index(c);
      ids.add(id);
    }
    now = from.plusSeconds(cases / 10 + 60);
    server = LoopbackHttp.start("rest-stub", this::answer);
    Map<String, Object> settings = new ObjectMapper(new YAMLFactory()).readValue(
        SETTINGS.replace("${base}", server.url()).replace("${secret}", CLIENT_SECRET),
        new TypeReference<Map<String, Object>>() {});
    adapter = new RestProvider().create("bench-rest", settings).orElseThrow();
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
    return notes.values().stream().flatMap(List::stream)
        .filter(n -> n.path("update_id").asText().startsWith("bench-")).count();
  }

  private synchronized Answer answer(Call call) {
    if (call.path().equals("/oauth/token") && call.method().equals("POST")) {
      return token(call);
    }
    if (token == null || !("Bearer " + token).equals(call.header("Authorization"))) {
      return error(401, "unauthorized", "The access token is invalid or has expired");
    }
    if (!call.path().startsWith(CASES)) {
      return error(404, "not_found", "No route " + call.path());
    }
    String[] parts = call.path().substring(CASES.length()).split("/");
    if (parts.length <= 1 && call.method().equals("GET")) {
      return list(call.query());
    }
    ObjectNode c = parts.length >= 2 ? byId.get(parts[1]) : null;
    if (c == null) {
      return error(404, "not_found", "No case " + (parts.length >= 2 ? parts[1] : ""));
    }
    String route = call.method() + " " + (parts.length == 2 ? "case" : parts[2]);
    switch (route) {
      case "GET case":
        return ok(200, json.createObjectNode().set("data", c));
      case "GET notes": {
        ArrayNode data = json.createArrayNode();
        notes.getOrDefault(parts[1], List.of()).forEach(data::add);
        return ok(200, json.createObjectNode().set("data", data));
      }
      case "POST notes": {
        JsonNode body = parse(call.body());
        if (!body.hasNonNull("body")) {
          return error(422, "invalid", "body is required");
        }
        ObjectNode note = json.createObjectNode().put("id", "n-" + (++noteIds))
            .put("body", body.get("body").asText()).put("update_id", body.path("update_id").asText(null));
        notes.computeIfAbsent(parts[1], k -> new ArrayList<>()).add(note);
        byUpdated.remove(key(c));
        now = now.plusSeconds(1);
        c.put("updated_at", now.toString()).put("version", c.get("version").asLong() + 1);
        index(c);
        return ok(201, json.createObjectNode().set("data", note));
      }
      default:
        return error(405, "method_not_allowed", call.method() + " " + call.path());
    }
  }

  private Answer token(Call call) {
    String basic = "Basic " + Base64.getEncoder().encodeToString(
        (CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
    if (!basic.equals(call.header("Authorization"))) {
      return Answer.json(401, "{\"error\":\"invalid_client\"}"); // RFC 6749 5.2
    }
    Map<String, String> form = FormFields.parse(call.body()).firstValues();
    if (!"client_credentials".equals(form.get("grant_type"))) {
      return Answer.json(400, "{\"error\":\"unsupported_grant_type\"}");
    }
    token = "at-" + (++tokens);
    return ok(200, json.createObjectNode().put("access_token", token).put("token_type", "Bearer")
        .put("expires_in", 3600).put("scope", form.get("scope")));
  }

  private Answer list(Map<String, String> query) {
    String since = query.get("updated_since");
    String size = query.get("page_size");
    if (since == null || size == null || !"updated_at".equals(query.get("sort"))) {
      return error(400, "bad_request", "updated_since, page_size and sort=updated_at are required");
    }
    int pageSize;
    String from;
    try {
      pageSize = Integer.parseInt(size);
      from = query.containsKey("page_token")
          ? new String(Base64.getUrlDecoder().decode(query.get("page_token")), StandardCharsets.UTF_8)
          : Instant.parse(since).toString();
    } catch (IllegalArgumentException | DateTimeParseException e) {
      return error(400, "bad_request", "unreadable updated_since, page_size or page_token");
    }
    if (pageSize < 1 || pageSize > 200) {
      return error(400, "bad_request", "page_size must be between 1 and 200");
    }
    ArrayNode data = json.createArrayNode();
    String last = null;
    boolean more = false;
    for (Map.Entry<String, ObjectNode> e : byUpdated.tailMap(from, !query.containsKey("page_token"))
        .entrySet()) {
      if (data.size() == pageSize) {
        more = true;
        break;
      }
      data.add(e.getValue());
      last = e.getKey();
    }
    ObjectNode body = json.createObjectNode();
    body.set("data", data);
    ObjectNode links = body.putObject("links");
    if (more) {
      links.put("next", CASES + "?updated_since=" + URLEncoder.encode(since, StandardCharsets.UTF_8)
          + "&page_size=" + pageSize + "&sort=updated_at&page_token="
          + Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(StandardCharsets.UTF_8)));
    } else {
      links.putNull("next");
    }
    return ok(200, body);
  }

  private void index(ObjectNode c) {
    byId.put(c.get("id").asText(), c);
    byUpdated.put(key(c), c);
  }

  /** (updated_at, id descending): ISO instants to the second sort as text; ids are fixed width. */
  private static String key(ObjectNode c) {
    long number = Long.parseLong(c.get("id").asText().substring(2));
    return c.get("updated_at").asText() + "|" + String.format("%09d", 999_999_999L - number);
  }

  private JsonNode parse(String body) {
    try {
      return body.isBlank() ? json.createObjectNode() : json.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("request body is not JSON", e);
    }
  }

  private static Answer ok(int status, JsonNode body) {
    return Answer.json(status, body.toString());
  }

  private Answer error(int status, String code, String message) {
    ObjectNode body = json.createObjectNode();
    body.putObject("error").put("code", code).put("message", message);
    return ok(status, body);
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
