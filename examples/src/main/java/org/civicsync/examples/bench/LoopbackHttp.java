package org.civicsync.examples.bench;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.civicsync.open311.codec.FormFields;

/**
 * The JDK's {@code HttpServer} on loopback in front of one stubbed system, counting every request
 * it answers: the benchmark's "HTTP calls" are counted here, at the server, so a request the
 * adapter sends twice (a retry, a token fetch, a further batch) is counted twice. WireMock is not
 * used because it answers a few hundred requests a second, and a 10,000-case run makes tens of
 * thousands.
 */
final class LoopbackHttp implements AutoCloseable {

  /** What the stub received: method, path, decoded query, headers, body. */
  record Call(String method, String path, Map<String, String> query, Headers headers, String body) {
    String header(String name) {
      return headers.getFirst(name);
    }
  }

  /** The answer: a status, a body (empty for none), and extra headers. */
  record Answer(int status, String body, Map<String, String> headers) {
    static Answer json(int status, String body) {
      return new Answer(status, body, Map.of());
    }
  }

  /** Answers one request; called on the server's threads, so a stub guards its own state. */
  interface Handler {
    Answer answer(Call call);
  }

  private final HttpServer server;
  private final ExecutorService threads;
  private final AtomicLong requests = new AtomicLong();

  private LoopbackHttp(String name, Handler handler) throws IOException {
    // Without TCP_NODELAY every answer waits ~40 ms for a delayed ACK (see ARCHITECTURE.md).
    System.setProperty("sun.net.httpserver.nodelay", "true");
    threads = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/", exchange -> serve(exchange, handler));
    server.setExecutor(threads);
    server.start();
  }

  static LoopbackHttp start(String name, Handler handler) throws IOException {
    return new LoopbackHttp(Objects.requireNonNull(name, "name == null"),
        Objects.requireNonNull(handler, "handler == null"));
  }

  /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Requests answered so far, whatever their status. */
  long requests() {
    return requests.get();
  }

  private void serve(HttpExchange exchange, Handler handler) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      String query = exchange.getRequestURI().getRawQuery();
      Call call = new Call(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          FormFields.parse(query == null ? "" : query).firstValues(),
          exchange.getRequestHeaders(),
          new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      Answer answer;
      try {
        answer = handler.answer(call);
      } catch (RuntimeException e) {
        answer = Answer.json(500, "{\"error\":\"stub failed: " + e.getClass().getSimpleName() + "\"}");
      }
      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
      answer.headers().forEach(exchange.getResponseHeaders()::set);
      exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
