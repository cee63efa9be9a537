package org.civicsync.crm.open311;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.civicsync.core.model.Status;
import org.civicsync.core.model.W3cDateTime;
import org.civicsync.open311.codec.FormFields;

/**
 * A council back office that speaks GeoReport v2 behind WireMock, in XML, as the specification
 * and mySociety's update extension describe it: {@code services}, {@code services/{code}},
 * {@code POST requests} (answering an id, or a token when queued), {@code tokens/{token}},
 * {@code GET requests} filtered on {@code requested_datetime} (the spec's rule, not a change
 * feed), {@code requests/{id}}, and, with the extension, {@code GET servicerequestupdates} on
 * {@code updated_datetime} and {@code POST servicerequestupdates} deduped on {@code update_id}.
 * A bad {@code api_key} on a POST or on the updates feed is a 403 error document, an unknown
 * request a 404. It echoes one attribute (the connector's reference) inside {@code <extras>} of
 * each request, and lists posted updates in its feed, as open311-adapter back offices do with
 * their own log entries. Only what the adapter uses is here.
 */
final class FakeBackOffice implements ResponseDefinitionTransformerV2 {
  static final String NAME = "open311-back-office";
  private static final Pattern ROUTE = Pattern.compile(
      "/open311/v2/(services|requests|servicerequestupdates|services/([^/]+)|requests/([^/]+)"
          + "|tokens/([^/]+))\\.xml");

  private final String apiKey;
  private final boolean updateExtension;
  private final String echoedAttribute;
  private final Map<String, Req> requests = new LinkedHashMap<>();
  private final List<Upd> updates = new ArrayList<>();
  private final Map<String, String> tokens = new LinkedHashMap<>();
  private final List<Map<String, List<String>>> queue = new ArrayList<>();
  private Instant now = Instant.parse("2024-07-01T09:00:00Z");
  private int next = 5000;
  private int nextUpdate = 900;
  private boolean queued;
  private boolean loseNextCreateAnswer;
  private boolean holdNextUpdate;
  private Map<String, List<String>> held;

  FakeBackOffice(String apiKey, boolean updateExtension, String echoedAttribute) {
    this.apiKey = apiKey;
    this.updateExtension = updateExtension;
    this.echoedAttribute = echoedAttribute;
  }

  /** One request as the back office holds it. */
  static final class Req {
    final String id;
    final String serviceCode;
    final Map<String, List<String>> attributes;
    final String description;
    final Instant requested;
    Instant updated;
    Status status = Status.OPEN;
    final List<String> notes = new ArrayList<>();

    Req(String id, String serviceCode, Map<String, List<String>> attributes, String description,
        Instant requested) {
      this.id = id;
      this.serviceCode = serviceCode;
      this.attributes = attributes;
      this.description = description;
      this.requested = requested;
      this.updated = requested;
    }
  }

  record Upd(String updateId, String requestId, Status status, String description, Instant updated) {}

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public boolean applyGlobally() {
    return false;
  }

  synchronized Instant now() {
    return now;
  }

  synchronized void advance(long seconds) {
    now = now.plusSeconds(seconds);
  }

  /** From now on {@code POST requests} answers a token and creates the request later. */
  synchronized void queueCreates() {
    queued = true;
  }

  /** The next {@code POST requests} is applied, but answered only after 3 s. */
  synchronized void loseNextCreateAnswer() {
    loseNextCreateAnswer = true;
  }

  /**
   * The next {@code POST servicerequestupdates} is held, unapplied, and answered only after 3 s,
   * as a back office that commits late; {@link #applyHeldUpdate} applies it.
   */
  synchronized void holdNextUpdate() {
    holdNextUpdate = true;
  }

  synchronized void applyHeldUpdate() {
    apply(held);
    held = null;
  }

  /** Creates every queued request, as the back office's queue worker does. */
  synchronized void workQueue() {
    for (Map<String, List<String>> form : queue) {
      Req r = insert(form);
      tokens.put(form.get("#token").get(0), r.id);
    }
    queue.clear();
  }

  synchronized List<Req> requests() {
    return List.copyOf(requests.values());
  }

  synchronized Req request(String id) {
    return requests.get(id);
  }

  /** A request made in the back office itself (phoned in), with an officer's first entry. */
  synchronized String raise(String serviceCode) {
    Req r = new Req(Integer.toString(next++), serviceCode, Map.of(), "Phoned in", now);
    requests.put(r.id, r);
    updates.add(new Upd("bo-" + nextUpdate++, r.id, Status.OPEN, "Logged", now));
    return r.id;
  }

  /** An officer's entry in the back office's log. */
  synchronized void officerUpdate(String requestId, Status status, String text) {
    Req r = requests.get(requestId);
    updates.add(new Upd("bo-" + nextUpdate++, requestId, status, text, now));
    if (status.changesState()) {
      r.status = status;
    }
    r.updated = now;
    r.notes.add(text);
  }

  @Override
  public synchronized ResponseDefinition transform(ServeEvent event) {
    Request request = event.getRequest();
    String path = request.getUrl().split("\\?", 2)[0];
    Matcher m = ROUTE.matcher(path);
    if (!m.matches()) {
      return error(404, "no such resource: " + path);
    }
    boolean post = request.getMethod().getName().equals("POST");
    Map<String, List<String>> params = post
        ? form(request.getBodyAsString()) : form(path.length() < request.getUrl().length()
            ? request.getUrl().substring(path.length() + 1) : "");
    String what = m.group(1);
    if (what.equals("servicerequestupdates") && !updateExtension) {
      return error(404, "no such resource: servicerequestupdates");
    }
    if ((post || what.equals("servicerequestupdates")) && !apiKey.equals(first(params, "api_key"))) {
      return error(403, "api_key is missing or wrong");
    }
    if (m.group(2) != null) {
      return m.group(2).equals("POT")
          ? ok("<service_definition><service_code>POT</service_code><attributes><attribute>"
              + "<variable>true</variable><code>depth</code><datatype>number</datatype>"
              + "<required>false</required><datatype_description/><order>1</order>"
              + "<description>Depth in cm</description></attribute></attributes>"
              + "</service_definition>")
          : error(404, "service_code " + m.group(2) + " not found");
    }
    if (m.group(3) != null) {
      Req r = requests.get(m.group(3));
      return r == null ? error(404, "service_request_id " + m.group(3) + " not found")
          : ok("<service_requests>" + xml(r) + "</service_requests>");
    }
    if (m.group(4) != null) {
      String id = tokens.get(m.group(4));
      return ok("<service_requests>" + (id == null ? "" : "<request><service_request_id>" + id
          + "</service_request_id><token>" + m.group(4) + "</token></request>")
          + "</service_requests>");
    }
    return switch (what + (post ? " POST" : " GET")) {
      case "services GET" -> ok("<services><service><service_code>POT</service_code>"
          + "<service_name>Potholes</service_name><description>Holes in the road</description>"
          + "<metadata>true</metadata><type>realtime</type><keywords></keywords>"
          + "<group>Roads</group></service><service><service_code>LIGHT</service_code>"
          + "<service_name>Street lighting</service_name><description/>"
          + "<metadata>false</metadata><type>batch</type><keywords>inactive</keywords>"
          + "<group>Lighting</group></service></services>");
      case "requests POST" -> create(params);
      case "requests GET" -> list(params);
      case "servicerequestupdates GET" -> feed(params);
      case "servicerequestupdates POST" -> postUpdate(params);
      default -> error(400, "method not allowed on " + what);
    };
  }

  private ResponseDefinition create(Map<String, List<String>> form) {
    if (first(form, "service_code") == null) {
      return error(400, "service_code is required");
    }
    if (!List.of("POT", "LIGHT").contains(first(form, "service_code"))) {
      return error(404, "service_code " + first(form, "service_code") + " not found");
    }
    if (queued) {
      String token = "tok-" + (next++);
      Map<String, List<String>> held = new LinkedHashMap<>(form);
      held.put("#token", List.of(token));
      queue.add(held);
      return ok("<service_requests><request><token>" + token + "</token></request>"
          + "</service_requests>");
    }
    Req r = insert(form);
    ResponseDefinition answer = ok("<service_requests><request><service_request_id>" + r.id
        + "</service_request_id><service_notice/></request></service_requests>");
    if (loseNextCreateAnswer) {
      loseNextCreateAnswer = false;
      return ResponseDefinitionBuilder.like(answer).withFixedDelay(3_000).build();
    }
    return answer;
  }

  private Req insert(Map<String, List<String>> form) {
    Map<String, List<String>> attributes = new LinkedHashMap<>();
    form.forEach((key, values) -> {
      if (key.startsWith("attribute[")) {
        attributes.put(key.substring("attribute[".length(), key.indexOf(']')), values);
      }
    });
    Req r = new Req(Integer.toString(next++), first(form, "service_code"), attributes,
        Optional.ofNullable(first(form, "description")).orElse(""), now);
    requests.put(r.id, r);
    return r;
  }

  private ResponseDefinition list(Map<String, List<String>> query) {
    List<Req> found;
    if (first(query, "service_request_id") != null) {
      found = Arrays.stream(first(query, "service_request_id").split(","))
          .map(requests::get).filter(Objects::nonNull).toList();
    } else {
      Instant end = Optional.ofNullable(first(query, "end_date")).map(FakeBackOffice::instant)
          .orElse(now);
      Instant start = Optional.ofNullable(first(query, "start_date"))
          .map(FakeBackOffice::instant).orElse(end.minusSeconds(90L * 86400));
      found = requests.values().stream()
          .filter(r -> !r.requested.isBefore(start) && !r.requested.isAfter(end)).toList();
    }
    StringBuilder body = new StringBuilder("<service_requests>");
    found.forEach(r -> body.append(xml(r)));
    return ok(body.append("</service_requests>").toString());
  }

  private ResponseDefinition feed(Map<String, List<String>> query) {
    Instant start = instant(first(query, "start_date"));
    Instant end = instant(first(query, "end_date"));
    StringBuilder body = new StringBuilder("<service_request_updates>");
    updates.stream().filter(u -> !u.updated.isBefore(start) && !u.updated.isAfter(end))
        .forEach(u -> body.append("<request_update><update_id>").append(u.updateId)
            .append("</update_id><service_request_id>").append(u.requestId)
            .append("</service_request_id><status>").append(u.status.wireName())
            .append("</status><description>").append(escape(u.description))
            .append("</description><updated_datetime>").append(format(u.updated))
            .append("</updated_datetime><media_url/></request_update>"));
    return ok(body.append("</service_request_updates>").toString());
  }

  private ResponseDefinition postUpdate(Map<String, List<String>> form) {
    for (String field : List.of("service_request_id", "update_id", "status", "updated_datetime")) {
      if (first(form, field) == null) {
        return error(400, field + " is required");
      }
    }
    Req r = requests.get(first(form, "service_request_id"));
    if (r == null) {
      return error(404, "service_request_id " + first(form, "service_request_id") + " not found");
    }
    String updateId = first(form, "update_id");
    ResponseDefinition answer = ok("<service_request_updates><request_update><update_id>"
        + updateId + "</update_id></request_update></service_request_updates>");
    if (holdNextUpdate) {
      holdNextUpdate = false;
      held = form;
      return ResponseDefinitionBuilder.like(answer).withFixedDelay(3_000).build();
    }
    apply(form);
    return answer;
  }

  private void apply(Map<String, List<String>> form) {
    Req r = requests.get(first(form, "service_request_id"));
    String updateId = first(form, "update_id");
    boolean known = updates.stream().anyMatch(u -> u.updateId.equals(updateId));
    if (!known) {
      Status status = Status.parse(first(form, "status"));
      Instant at = instant(first(form, "updated_datetime"));
      String text = Optional.ofNullable(first(form, "description")).orElse("");
      updates.add(new Upd(updateId, r.id, status, text, at));
      if (status.changesState()) {
        r.status = status;
      }
      if (at.isAfter(r.updated)) {
        r.updated = at;
      }
      if (!text.isEmpty()) {
        r.notes.add(text);
      }
    }
  }

  private String xml(Req r) {
    List<String> echoed = r.attributes.getOrDefault(echoedAttribute, List.of());
    return "<request><service_request_id>" + r.id + "</service_request_id><status>"
        + r.status.plain().wireName() + "</status><service_code>" + r.serviceCode
        + "</service_code><description>" + escape(r.description) + "</description>"
        + "<requested_datetime>" + format(r.requested) + "</requested_datetime>"
        + "<updated_datetime>" + format(r.updated) + "</updated_datetime>"
        + "<lat>51.4545</lat><long>-2.5879</long>"
        + (echoed.isEmpty() ? "" : "<extras><" + echoedAttribute + ">" + escape(echoed.get(0))
            + "</" + echoedAttribute + "></extras>")
        + "</request>";
  }

  private static Map<String, List<String>> form(String encoded) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    FormFields fields = FormFields.parse(encoded.getBytes(StandardCharsets.UTF_8));
    fields.entries().forEach(e ->
        out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    return out;
  }

  private static String first(Map<String, List<String>> params, String key) {
    List<String> values = params.get(key);
    return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
  }

  private static Instant instant(String w3c) {
    return W3cDateTime.parse(w3c).toInstant();
  }

  private static String format(Instant instant) {
    return W3cDateTime.format(OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static ResponseDefinition ok(String xml) {
    return ResponseDefinitionBuilder.responseDefinition().withStatus(200)
        .withHeader("Content-Type", "text/xml; charset=utf-8")
        .withBody("<?xml version=\"1.0\" encoding=\"utf-8\"?>" + xml).build();
  }

  private static ResponseDefinition error(int status, String description) {
    return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
        .withHeader("Content-Type", "text/xml; charset=utf-8")
        .withBody("<?xml version=\"1.0\" encoding=\"utf-8\"?><errors><error><code>" + status
            + "</code><description>" + escape(description) + "</description></error></errors>")
        .build();
  }
}
