package org.civicsync.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.civicsync.core.store.H2Durability;
import org.civicsync.core.store.Link;
import org.civicsync.core.store.SyncStore;
import org.civicsync.core.store.SyncStores;
import org.civicsync.open311.server.ServedJurisdiction;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kills a real server process (SIGKILL: no shutdown hook, no close) while several clients stream
 * {@code POST requests.xml} at it, restarts it on the same H2 file and checks the promise made to
 * FixMyStreet: every answered report is in the store under the answer it got, and resending it
 * answers the same and creates nothing.
 *
 * <p>In queued mode an answered report is a receipt in the store's receipt log until the child's
 * drainer (running every few milliseconds) turns it into a link and work, so the kill lands with some reports drained and
 * some not: each answered one must be one or the other, and after the restart every receipt must
 * drain into exactly one link and one case-creation item, resends included.
 *
 * <p>Proves survival of a process crash, not of a power cut (kill -9 keeps the page cache).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServeKillMinus9Test {
  private static final String KEY = "kill-test-key";
  private static final int CLIENTS = 6;
  private static final int ANSWERS_BEFORE_KILL = 300;
  private static final Pattern ID = Pattern.compile("<service_request_id>([^<]+)</service_request_id>");
  private static final Pattern TOKEN = Pattern.compile("<token>([^<]+)</token>");

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(ServedJurisdiction.Mode.class)
  void everyAnsweredReportSurvivesKillMinus9AndResendsCreateNothing(ServedJurisdiction.Mode mode)
      throws Exception {
    Path db = dir.resolve("serve");
    boolean realtime = mode == ServedJurisdiction.Mode.REALTIME;
    Map<Long, String> answered = new ConcurrentHashMap<>();

    Child first = Child.start(db, mode, dir.resolve("first.err"));
    AtomicLong nextId = new AtomicLong(1000);
    CountDownLatch enough = new CountDownLatch(ANSWERS_BEFORE_KILL);
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      Thread t = new Thread(() -> {
        HttpClient http = client();
        while (true) {
          long fmsId = nextId.getAndIncrement();
          try {
            HttpResponse<String> r = http.send(post(first.base() + "requests.xml", form(fmsId)),
                HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
              answered.put(fmsId, answer(r.body(), realtime));
              enough.countDown();
            }
          } catch (IOException e) {
            return; // the server died: this request was not answered
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "client-" + c);
      t.start();
      clients.add(t);
    }
    assertThat(enough.await(60, TimeUnit.SECONDS)).as("answers before the kill").isTrue();
    first.kill();
    for (Thread t : clients) {
      t.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(t.isAlive()).as(t.getName() + " stopped after the kill").isFalse();
    }
    long sent = nextId.get() - 1000;
    assertThat(answered).hasSizeGreaterThanOrEqualTo(ANSWERS_BEFORE_KILL);
    assertThat(sent).as("requests were in flight when it died").isGreaterThan(answered.size());

    // Nothing answered is missing, each under the answer it got.
    long keptAfterKill;
    try (SyncStore store = SyncStores.h2File(db, H2Durability.PROCESS_CRASH, Clock.systemUTC())) {
      List<Long> missing = new ArrayList<>();
      for (Map.Entry<Long, String> e : answered.entrySet()) {
        Link link = store.links().findByOpen311Id(ServeExample.JURISDICTION, "fms-" + e.getKey())
            .orElse(null);
        boolean receipt = store.receiptLog().orElseThrow()
            .pending(ServeExample.JURISDICTION, "fms-" + e.getKey()).isPresent();
        if (link == null && receipt && !realtime) {
          assertThat(e.getValue()).isEqualTo("fms-" + e.getKey());
        } else if (link == null) {
          missing.add(e.getKey());
        } else if (realtime) {
          assertThat(link.crmId()).as("fms " + e.getKey()).hasValue(e.getValue());
        } else {
          assertThat(link.open311Id()).hasValue(e.getValue());
        }
      }
      assertThat(missing).as("answered before the kill, absent after it").isEmpty();
    }
    long linksAfterKill = linkCount(db);
    long receiptsAfterKill = receiptCount(db);
    assertThat(receiptsAfterKill + linksAfterKill).as("the log read back twice the same")
        .isEqualTo(receiptCount(db) + linkCount(db));
    keptAfterKill = linksAfterKill + receiptsAfterKill;
    assertThat(keptAfterKill).isBetween((long) answered.size(), sent);
    if (!realtime) {
      assertThat(linksAfterKill).as("the drainer ran before the kill").isPositive();
    }

    // Restarted on the same file: every resend answers what the first send got.
    Child second = Child.start(db, mode, dir.resolve("second.err"));
    try {
      HttpClient http = client();
      for (Map.Entry<Long, String> e : answered.entrySet()) {
        HttpResponse<String> r = http.send(post(second.base() + "requests.xml", form(e.getKey())),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(answer(r.body(), realtime)).as("fms " + e.getKey()).isEqualTo(e.getValue());
      }
      if (realtime) {
        String someId = answered.values().iterator().next();
        HttpResponse<String> one = http.send(HttpRequest.newBuilder(URI.create(second.base()
            + "requests/" + someId + ".xml?jurisdiction_id=" + ServeExample.JURISDICTION)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(one.body()).contains("<service_request_id>" + someId + "</service_request_id>");
      }
    } finally {
      second.kill();
    }
    // Whatever the second process left undrained is drained now, as its next start would.
    try (SyncStore store = SyncStores.h2File(db, H2Durability.PROCESS_CRASH, Clock.systemUTC())) {
      ServeExample.server(store, Clock.systemUTC(), ServeExample.crm(Clock.systemUTC()), KEY, mode)
          .serveMode().drain(ServeExample.JURISDICTION);
    }
    assertThat(receiptCount(db)).isZero();
    assertThat(linkCount(db)).as("resends created no link").isEqualTo(keptAfterKill);
    assertThat(createItemCount(db)).as("resends queued no case creation").isEqualTo(keptAfterKill);
  }

  private static String answer(String body, boolean realtime) {
    Matcher m = (realtime ? ID : TOKEN).matcher(body);
    assertThat(m.find()).as(body).isTrue();
    return m.group(1);
  }

  private static String form(long fmsId) {
    return "api_key=" + KEY + "&jurisdiction_id=" + ServeExample.JURISDICTION
        + "&service_code=POT&description=Hole+number+" + fmsId + "&lat=51.5&long=-0.1"
        + "&attribute%5Bfixmystreet_id%5D=" + fmsId;
  }

  private static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static HttpRequest post(String url, String form) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build();
  }

  private static long linkCount(Path db) throws Exception {
    return count(db, "SELECT COUNT(*) FROM link WHERE jurisdiction = '"
        + ServeExample.JURISDICTION + "'");
  }

  /** Receipts pending in the H2 file store's receipt log (queued reports not yet drained). */
  private static long receiptCount(Path db) {
    try (SyncStore store = SyncStores.h2File(db, H2Durability.PROCESS_CRASH, Clock.systemUTC())) {
      return store.receiptLog().orElseThrow().pendingCount(ServeExample.JURISDICTION);
    }
  }

  private static long createItemCount(Path db) throws Exception {
    return count(db, "SELECT COUNT(*) FROM outbox WHERE jurisdiction = '"
        + ServeExample.JURISDICTION + "' AND idempotency_key LIKE 'create:%'");
  }

  private static long count(Path db, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + db.toAbsolutePath()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "");
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A server JVM started from the test classpath. */
  private record Child(Process process, int port) {
    static Child start(Path db, ServedJurisdiction.Mode mode, Path err) throws IOException {
      String classpath = System.getProperty("surefire.test.class.path",
          System.getProperty("java.class.path"));
      ProcessBuilder pb = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
          "-cp", classpath, ServeUntilKilled.class.getName(), db.toString(), mode.name())
          .redirectError(err.toFile());
      pb.environment().put("CIVICSYNC_API_KEY", KEY);
      Process p = pb.start();
      BufferedReader out = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("READY ")) {
          return new Child(p, Integer.parseInt(line.substring(6).strip()));
        }
      }
      p.destroyForcibly();
      throw new IllegalStateException("server did not start: " + Files.readString(err));
    }

    String base() {
      return "http://127.0.0.1:" + port + "/open311/v2/";
    }

    void kill() throws InterruptedException {
      // SIGKILL on Linux: no shutdown hook runs, the store is not closed.
      process.toHandle().destroyForcibly();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    }
  }
}
