package org.civicsync.examples.operation;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.civicsync.core.sync.PassResult;
import org.civicsync.examples.config.OperationConfig;
import org.civicsync.examples.connector.Connector;

/**
 * {@code /health} and Prometheus {@code /metrics} of a running connector, on the JDK's HTTP
 * server (loopback by default). Health is UP while the store answers and no polling jurisdiction
 * is stale ({@link PollFreshness}); metrics are
 * {@link ConnectorMetrics}. Without a configured port there is no server, and the meters are
 * still kept.
 */
public final class OperationEndpoint implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Connector connector;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ConnectorMetrics metrics;
  private final PollFreshness freshness;
  private final Optional<HttpServer> server;
  private final ExecutorService threads = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "civicsync-operation");
    t.setDaemon(true);
    return t;
  });

  private OperationEndpoint(Connector connector, OperationConfig config, Clock clock) throws IOException {
    this.connector = connector;
    this.metrics = new ConnectorMetrics(registry, connector, clock);
    this.freshness = new PollFreshness(connector, config.staleAfterIntervals(), clock.instant(), clock);
    if (config.listenPort().isEmpty()) {
      this.server = Optional.empty();
      return;
    }
    // Without TCP_NODELAY each answer waits ~40 ms for a delayed ACK (see ARCHITECTURE.md).
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer http = HttpServer.create(
        new InetSocketAddress(config.listenHost(), config.listenPort().get()), 16);
    http.createContext("/health", this::health);
    http.createContext("/metrics", this::metrics);
    http.setExecutor(threads);
    http.start();
    this.server = Optional.of(http);
  }

  public static OperationEndpoint start(Connector connector, OperationConfig config, Clock clock) {
    Objects.requireNonNull(connector, "connector == null");
    Objects.requireNonNull(config, "config == null");
    Objects.requireNonNull(clock, "clock == null");
    try {
      return new OperationEndpoint(connector, config, clock);
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on " + config.listenHost() + ":"
          + config.listenPort().orElse(0) + " for /health and /metrics: " + e.getMessage(), e);
    }
  }

  public void passDone(PassResult result) {
    metrics.passDone(result);
  }

  /** The base URL of the endpoint, when there is one. */
  public Optional<String> baseUrl() {
    return server.map(s -> "http://" + s.getAddress().getHostString() + ":" + s.getAddress().getPort());
  }

  public String describe() {
    return baseUrl().map(u -> "; health " + u + "/health, metrics " + u + "/metrics").orElse("");
  }

  /** The metrics in Prometheus text format, as {@code /metrics} answers them. */
  public String scrape() {
    return registry.scrape();
  }

  private void health(HttpExchange exchange) throws IOException {
    try (exchange) {
      Health h = health();
      answer(exchange, h.up() ? 200 : 503, "application/json", h.json() + "\n");
    }
  }

  /** What {@code /health} answers: its status and JSON body. */
  public record Health(boolean up, String json) {}

  /**
   * UP while the store answers and every polling jurisdiction has polled successfully within
   * {@code operation.stale_after_intervals} times its {@code every}; else DOWN with the reason,
   * per jurisdiction.
   */
  public Health health() {
    ObjectNode body = JSON.createObjectNode();
    boolean store;
    List<PollFreshness.Verdict> verdicts = List.of();
    try {
      connector.store().outbox().counts();
      verdicts = freshness.check();
      store = true;
    } catch (RuntimeException e) {
      store = false;
    }
    boolean up = store && verdicts.stream().noneMatch(PollFreshness.Verdict::stale);
    body.put("status", up ? "UP" : "DOWN");
    body.put("store", store ? "UP" : "DOWN");
    if (!verdicts.isEmpty()) {
      ObjectNode jurisdictions = body.putObject("jurisdictions");
      for (PollFreshness.Verdict v : verdicts) {
        ObjectNode j = jurisdictions.putObject(v.jurisdiction());
        j.put("status", v.stale() ? "DOWN" : "UP");
        v.lastSuccess().ifPresent(t -> j.put("last_successful_poll", t.toString()));
        j.put("seconds_since", v.since().toSeconds());
        j.put("allowed_seconds", v.limit().toSeconds());
        v.reason().ifPresent(r -> j.put("reason", r));
      }
    }
    return new Health(up, body.toString());
  }

  private void metrics(HttpExchange exchange) throws IOException {
    try (exchange) {
      answer(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", scrape());
    }
  }

  private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.ifPresent(s -> s.stop(0));
    threads.shutdownNow();
    registry.close();
  }
}
