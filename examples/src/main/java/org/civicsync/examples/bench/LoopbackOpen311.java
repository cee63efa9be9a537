package org.civicsync.examples.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.civicsync.open311.codec.FormFields;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.civicsync.core.model.Status;
import org.civicsync.core.model.W3cDateTime;

/**
 * A GeoReport v2 endpoint on the loopback interface holding generated requests, for the backfill
 * benchmark. It serves {@code GET requests.xml} by {@code start_date}/{@code end_date} (inclusive,
 * on the requested time) or by {@code service_request_id} list, at most {@link #PAGE} per answer,
 * and takes {@code POST servicerequestupdates.xml}, deduped on {@code update_id}. Requests are
 * columns of primitives, rendered per answer, so 100,000 of them cost a few megabytes.
 */
final class LoopbackOpen311 implements AutoCloseable {
  static final int PAGE = 1_000;
  private static final String BASE = "/open311/v2/";

  private final long[] requested;
  private final long[] updated;
  private final Status[] status;
  private final Set<String> updateIds = new HashSet<>();
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "loopback-open311");
    t.setDaemon(true);
    return t;
  });
  private long gets;
  private long posts;

  private LoopbackOpen311(int count, Instant from, Instant to) throws IOException {
    requested = new long[count];
    updated = new long[count];
    status = new Status[count];
    long span = Math.max(1, to.getEpochSecond() - from.getEpochSecond());
    for (int i = 0; i < count; i++) {
      requested[i] = from.getEpochSecond() + span * i / count;
      updated[i] = requested[i];
      status[i] = Status.OPEN;
    }
    // Without TCP_NODELAY every answer waits ~40 ms for a delayed ACK (see ARCHITECTURE.md).
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext(BASE + "requests.xml", this::requests);
    server.createContext(BASE + "servicerequestupdates.xml", this::postUpdate);
    server.setExecutor(threads);
    server.start();
  }

  /** {@code count} open requests, their requested times spread evenly over [from, to]. */
  static LoopbackOpen311 start(int count, Instant from, Instant to) throws IOException {
    return new LoopbackOpen311(count, from, to);
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + BASE;
  }

  synchronized int updatesReceived() {
    return updateIds.size();
  }

  synchronized long gets() {
    return gets;
  }

  synchronized long posts() {
    return posts;
  }

  private void requests(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        answer(exchange, 405, "<errors><error><code>405</code><description>GET only</description></error></errors>");
        return;
      }
      Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
      StringBuilder xml = new StringBuilder(PAGE * 400).append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<service_requests>\n");
      synchronized (this) {
        gets++;
        String ids = query.get("service_request_id");
        if (ids != null) {
          for (String id : ids.split(",")) {
            int i = index(id);
            if (i >= 0) {
              render(xml, i);
            }
          }
        } else {
          long start = seconds(query.get("start_date"), Long.MIN_VALUE);
          long end = seconds(query.get("end_date"), Long.MAX_VALUE);
          int first = firstAtOrAfter(start);
          for (int i = first, n = 0; i < requested.length && requested[i] <= end && n < PAGE; i++, n++) {
            render(xml, i);
          }
        }
      }
      answer(exchange, 200, xml.append("</service_requests>\n").toString());
    }
  }

  private void postUpdate(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        answer(exchange, 405, "<errors><error><code>405</code><description>POST only</description></error></errors>");
        return;
      }
      Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      String updateId = form.get("update_id");
      int i = index(form.getOrDefault("service_request_id", ""));
      if (updateId == null || updateId.isEmpty() || i < 0) {
        answer(exchange, 400, "<errors><error><code>400</code><description>update_id and a known "
            + "service_request_id are required</description></error></errors>");
        return;
      }
      synchronized (this) {
        posts++;
        if (updateIds.add(updateId)) {
          Status s = Status.parse(form.getOrDefault("status", "unchanged"));
          if (s.changesState()) {
            status[i] = s;
            updated[i] = Instant.now().getEpochSecond();
          }
        }
      }
      answer(exchange, 200, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<service_request_updates>"
          + "<request_update><update_id>" + updateId + "</update_id></request_update>"
          + "</service_request_updates>\n");
    }
  }

  private void render(StringBuilder xml, int i) {
    xml.append("<request><service_request_id>").append(i + 1).append("</service_request_id>")
        .append("<status>").append(status[i].wireName()).append("</status>")
        .append("<service_code>").append(i % 2 == 0 ? "POT" : "LIGHT").append("</service_code>")
        .append("<description>Report number ").append(i + 1).append(", generated for the benchmark</description>")
        .append("<requested_datetime>").append(time(requested[i])).append("</requested_datetime>")
        .append("<updated_datetime>").append(time(updated[i])).append("</updated_datetime>")
        .append("<address>").append(i % 500).append(" Corn Street, Bristol</address>")
        .append("<lat>51.45").append(i % 1000).append("</lat><long>-2.59").append(i % 1000).append("</long>")
        .append("</request>\n");
  }

  private int firstAtOrAfter(long second) {
    int i = Arrays.binarySearch(requested, second);
    if (i < 0) {
      return -i - 1;
    }
    while (i > 0 && requested[i - 1] == second) {
      i--;
    }
    return i;
  }

  private int index(String id) {
    try {
      int i = Integer.parseInt(id.trim()) - 1;
      return i >= 0 && i < requested.length ? i : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long seconds(String w3c, long absent) {
    return w3c == null ? absent : W3cDateTime.parse(w3c).toEpochSecond();
  }

  private static String time(long epochSecond) {
    return W3cDateTime.format(OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
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
