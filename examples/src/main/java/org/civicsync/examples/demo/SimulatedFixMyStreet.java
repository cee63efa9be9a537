package org.civicsync.examples.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.civicsync.open311.codec.FormFields;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.civicsync.core.model.W3cDateTime;

/**
 * A small FixMyStreet on loopback for the demo: a GeoReport v2 endpoint (XML) with mySociety's
 * update extension. It serves {@code services}, {@code requests} (by id list or by requested
 * time), the citizens' updates feed, and takes the council's {@code POST servicerequestupdates}
 * (api_key checked, deduped on update_id, moving the report's state). Citizens are simulated by
 * {@link #report} and {@link #comment}. For serve mode it is also the client FixMyStreet is:
 * {@link #sendToCouncil} POSTs a report to the council's Open311 endpoint as a form, and
 * {@link #fetchFromCouncil} GETs the council's {@code servicerequestupdates.xml} and moves its
 * reports' states by it. Thread-safe.
 */
public final class SimulatedFixMyStreet implements AutoCloseable {
  private static final String BASE = "/open311/v2/";

  /** A report as FixMyStreet holds it. */
  public record Problem(String id, String serviceCode, String title, String address, double lat,
      double lon, String status, Instant requested, Instant updated, Citizen citizen) {}

  /**
   * Who reported a problem. FixMyStreet never publishes it in {@code GET requests}, but sends it
   * to the council's endpoint with the report ({@code email}, {@code first_name},
   * {@code last_name}, {@code phone}).
   */
  public record Citizen(String firstName, String lastName, String email, String phone) {
    @Override
    public String toString() {
      return "Citizen[redacted]";
    }
  }

  private static final Citizen ANONYMOUS = new Citizen("", "", "", "");

  /** A citizen's or the council's update. */
  public record Update(String updateId, String requestId, String status, String description,
      Instant updated) {}

  private final Clock clock;
  private final String apiKey;
  private final Map<String, Problem> problems = new LinkedHashMap<>();
  private final List<Update> citizenUpdates = new ArrayList<>();
  private final Map<String, Update> councilUpdates = new LinkedHashMap<>();
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "simulated-fixmystreet");
    t.setDaemon(true);
    return t;
  });
  private int nextId = 1001;

  private SimulatedFixMyStreet(Clock clock, String apiKey) throws IOException {
    this.clock = clock;
    this.apiKey = apiKey;
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext(BASE + "services.xml", this::services);
    server.createContext(BASE + "requests.xml", this::requests);
    server.createContext(BASE + "servicerequestupdates.xml", this::updates);
    server.setExecutor(threads);
    server.start();
  }

  /** Starts on a free loopback port; {@code apiKey} is what the council must send with updates. */
  public static SimulatedFixMyStreet start(Clock clock, String apiKey) throws IOException {
    return new SimulatedFixMyStreet(Objects.requireNonNull(clock, "clock == null"),
        Objects.requireNonNull(apiKey, "apiKey == null"));
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + BASE;
  }

  /** A citizen reports a problem; answers its id. */
  public String report(String serviceCode, String title, String address, double lat, double lon) {
    return report(serviceCode, title, address, lat, lon, ANONYMOUS);
  }

  /** A citizen reports a problem, giving their contact details; answers its id. */
  public synchronized String report(String serviceCode, String title, String address, double lat,
      double lon, Citizen citizen) {
    String id = Integer.toString(nextId++);
    Instant now = now();
    problems.put(id, new Problem(id, serviceCode, title, address, lat, lon, "open", now, now,
        Objects.requireNonNull(citizen, "citizen == null")));
    return id;
  }

  /** A citizen comments on a report: an update in the feed with no change of state. */
  public synchronized void comment(String requestId, String text) {
    Problem p = Objects.requireNonNull(problems.get(requestId), () -> "no report " + requestId);
    citizenUpdates.add(new Update("fms-" + (citizenUpdates.size() + 1), requestId, p.status(), text, now()));
  }

  public synchronized Problem problem(String id) {
    return Objects.requireNonNull(problems.get(id), () -> "no report " + id);
  }

  /** The council's updates received, deduplicated on update_id. */
  public synchronized List<Update> councilUpdates() {
    return List.copyOf(councilUpdates.values());
  }

  /**
   * Sends report {@code id} to a council's Open311 endpoint as FixMyStreet does: {@code POST
   * requests.xml}, form-encoded, with the report's id in {@code attribute[fixmystreet_id]} so a
   * resend is recognised. Answers the council's {@code service_request_id}.
   */
  public String sendToCouncil(String councilEndpoint, String councilApiKey, String jurisdictionId,
      String id) throws IOException, InterruptedException {
    Problem p = problem(id);
    Map<String, String> fields = new LinkedHashMap<>(Map.of("api_key", councilApiKey,
        "jurisdiction_id", jurisdictionId, "service_code", p.serviceCode(),
        "description", p.title(), "address_string", p.address(),
        "lat", Double.toString(p.lat()), "long", Double.toString(p.lon()),
        "attribute[fixmystreet_id]", p.id()));
    Citizen c = p.citizen();
    Map.of("first_name", c.firstName(), "last_name", c.lastName(), "email", c.email(),
        "phone", c.phone()).forEach((k, v) -> {
          if (!v.isEmpty()) {
            fields.put(k, v);
          }
        });
    String form = form(fields);
    java.net.http.HttpResponse<String> answer = CLIENT.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(councilEndpoint + "requests.xml"))
        .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("<service_request_id>([^<]+)</service_request_id>").matcher(answer.body());
    if (answer.statusCode() != 200 || !m.find()) {
      throw new IOException("the council answered " + answer.statusCode() + ": " + answer.body());
    }
    return m.group(1);
  }

  /**
   * Fetches the council's updates of the last day ({@code GET servicerequestupdates.xml}) as
   * FixMyStreet does, and moves each report named by {@code fixmystreet_id} to its status. Answers
   * how many updates were read.
   */
  public int fetchFromCouncil(String councilEndpoint, String councilApiKey, String jurisdictionId)
      throws IOException, InterruptedException {
    Instant now = now();
    String url = councilEndpoint + "servicerequestupdates.xml?" + form(Map.of(
        "jurisdiction_id", jurisdictionId, "api_key", councilApiKey,
        "start_date", W3cDateTime.format(now.minus(1, ChronoUnit.DAYS).atOffset(ZoneOffset.UTC)),
        "end_date", W3cDateTime.format(now.plus(1, ChronoUnit.HOURS).atOffset(ZoneOffset.UTC))));
    java.net.http.HttpResponse<String> answer = CLIENT.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(url)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IOException("the council answered " + answer.statusCode() + ": " + answer.body());
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        "<request_update>(.*?)</request_update>", java.util.regex.Pattern.DOTALL)
        .matcher(answer.body());
    int read = 0;
    synchronized (this) {
      while (m.find()) {
        read++;
        java.util.Optional<String> status = element(m.group(1), "status");
        Problem p = element(m.group(1), "fixmystreet_id").map(problems::get).orElse(null);
        if (p != null && status.isPresent()) {
          problems.put(p.id(), new Problem(p.id(), p.serviceCode(), p.title(), p.address(), p.lat(),
              p.lon(), status.get().toLowerCase(java.util.Locale.ROOT), p.requested(), now, p.citizen()));
        }
      }
    }
    return read;
  }

  private static java.util.Optional<String> element(String xml, String name) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<" + name + ">([^<]*)</" + name + ">")
        .matcher(xml);
    return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
  }

  private static final java.net.http.HttpClient CLIENT = java.net.http.HttpClient.newBuilder()
      .connectTimeout(java.time.Duration.ofSeconds(5)).build();

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> java.net.URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(java.util.stream.Collectors.joining("&"));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  private void services(HttpExchange exchange) throws IOException {
    try (exchange) {
      answer(exchange, 200, "<services>"
          + service("POT", "Potholes", "Roads") + service("LIGHT", "Street lighting", "Lighting")
          + service("FLY", "Fly-tipping", "Waste") + "</services>");
    }
  }

  private static String service(String code, String name, String group) {
    return "<service><service_code>" + code + "</service_code><service_name>" + name
        + "</service_name><metadata>false</metadata><type>realtime</type><keywords/><group>" + group
        + "</group></service>";
  }

  private void requests(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> q = form(exchange.getRequestURI().getRawQuery());
      StringBuilder xml = new StringBuilder("<service_requests>");
      synchronized (this) {
        String ids = q.get("service_request_id");
        Instant start = q.containsKey("start_date") ? W3cDateTime.parse(q.get("start_date")).toInstant() : Instant.MIN;
        Instant end = q.containsKey("end_date") ? W3cDateTime.parse(q.get("end_date")).toInstant() : Instant.MAX;
        for (Problem p : problems.values()) {
          boolean wanted = ids != null ? List.of(ids.split(",")).contains(p.id())
              : !p.requested().isBefore(start) && !p.requested().isAfter(end);
          if (wanted) {
            xml.append("<request><service_request_id>").append(p.id()).append("</service_request_id>")
                .append("<status>").append(p.status()).append("</status>")
                .append("<service_code>").append(p.serviceCode()).append("</service_code>")
                .append("<description>").append(escape(p.title())).append("</description>")
                .append("<requested_datetime>").append(time(p.requested())).append("</requested_datetime>")
                .append("<updated_datetime>").append(time(p.updated())).append("</updated_datetime>")
                .append("<address>").append(escape(p.address())).append("</address>")
                .append("<lat>").append(p.lat()).append("</lat><long>").append(p.lon()).append("</long>")
                .append("</request>");
          }
        }
      }
      answer(exchange, 200, xml.append("</service_requests>").toString());
    }
  }

  private void updates(HttpExchange exchange) throws IOException {
    try (exchange) {
      if ("POST".equals(exchange.getRequestMethod())) {
        postUpdate(exchange);
        return;
      }
      Map<String, String> q = form(exchange.getRequestURI().getRawQuery());
      Instant start = W3cDateTime.parse(q.get("start_date")).toInstant();
      Instant end = W3cDateTime.parse(q.get("end_date")).toInstant();
      StringBuilder xml = new StringBuilder("<service_requests_updates>");
      synchronized (this) {
        for (Update u : citizenUpdates) {
          if (!u.updated().isBefore(start) && !u.updated().isAfter(end)) {
            xml.append("<request_update><update_id>").append(u.updateId()).append("</update_id>")
                .append("<service_request_id>").append(u.requestId()).append("</service_request_id>")
                .append("<status>").append(u.status()).append("</status>")
                .append("<description>").append(escape(u.description())).append("</description>")
                .append("<updated_datetime>").append(time(u.updated())).append("</updated_datetime>")
                .append("</request_update>");
          }
        }
      }
      answer(exchange, 200, xml.append("</service_requests_updates>").toString());
    }
  }

  private void postUpdate(HttpExchange exchange) throws IOException {
    Map<String, String> f = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    if (!apiKey.equals(f.get("api_key"))) {
      answer(exchange, 403, error(403, "api_key is missing or wrong"));
      return;
    }
    String updateId = f.getOrDefault("update_id", "");
    String requestId = f.getOrDefault("service_request_id", "");
    synchronized (this) {
      Problem p = problems.get(requestId);
      if (updateId.isEmpty() || p == null) {
        answer(exchange, 400, error(400, "update_id and a known service_request_id are required"));
        return;
      }
      if (!councilUpdates.containsKey(updateId)) {
        String status = f.getOrDefault("status", "open").toLowerCase(java.util.Locale.ROOT);
        Instant now = now();
        councilUpdates.put(updateId, new Update(updateId, requestId, status,
            f.getOrDefault("description", ""), now));
        problems.put(requestId, new Problem(p.id(), p.serviceCode(), p.title(), p.address(), p.lat(),
            p.lon(), status, p.requested(), now, p.citizen()));
      }
    }
    answer(exchange, 200, "<service_request_updates><request_update><update_id>" + escape(updateId)
        + "</update_id></request_update></service_request_updates>");
  }

  private static String error(int code, String description) {
    return "<errors><error><code>" + code + "</code><description>" + description
        + "</description></error></errors>";
  }

  private static String time(Instant t) {
    return W3cDateTime.format(OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static Map<String, String> form(String encoded) {
    return FormFields.parse(encoded == null ? "" : encoded).firstValues();
  }


  private static void answer(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/xml; charset=utf-8");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
