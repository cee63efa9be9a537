package org.civicsync.examples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.civicsync.core.crm.memory.InMemoryCrm;
import org.civicsync.core.model.Report;
import org.civicsync.core.store.H2Durability;
import org.civicsync.core.store.SyncStore;
import org.civicsync.core.store.SyncStores;
import org.civicsync.core.sync.ServeMode;
import org.civicsync.examples.server.JettyOpen311Host;
import org.civicsync.examples.server.ServeExample;
import org.civicsync.open311.server.Open311Server;
import org.civicsync.open311.server.ServedJurisdiction;

/**
 * Serve mode under {@code wrk} (Debian package {@code wrk}, loopback only): the sample server
 * ({@link ServeExample}) on embedded Jetty with an H2 file store ({@link H2Durability#PROCESS_CRASH}:
 * every commit and every receipt-log append written to the file before it returns) and the
 * in-memory CRM, in <b>queued</b> mode (a {@code POST requests} is answered with a token once its
 * receipt is appended to the store's receipt log; concurrent POSTs share one write). Before
 * measuring it loads a journal of 100,000 CRM updates (2,000 cases × 50 notes, one second apart)
 * through the engine's own CRM change reader.
 *
 * <p>Then, each with {@code wrk -t2 -c8 --latency} (a warm-up run first, then the measured run):
 * <ul>
 *   <li>{@code GET services.xml}: target 20,000/s;
 *   <li>{@code GET servicerequestupdates.xml} for a random window holding 50 updates: target
 *       5,000/s;
 *   <li>{@code post}: {@code POST requests.xml}, FixMyStreet form bodies with a unique
 *       {@code fixmystreet_id} per request (Lua script), with receipts drained into links and
 *       create-case work every 200 ms alongside (as the host's pump would); target 6,000/s,
 *       p99 &lt; 20 ms. Creating the cases in the CRM is the outbox's work, not done here;
 *   <li>{@code post-pump} (not by default): the same with the host's whole pump alongside,
 *       {@code ServeMode.work} every 2 s, which also creates the cases in the in-memory CRM and
 *       reads their changes back;
 *   <li>{@code post-realtime} (not by default): a second server in <b>realtime</b> mode on the
 *       same store, which creates the in-memory CRM case before answering.
 * </ul>
 *
 * <pre>
 * mvn -B -ntp -q package -DskipTests
 * java -Xmx1g -cp examples/target/civicsync.jar org.civicsync.examples.bench.ServeBenchmark [seconds] [warm-up seconds] [services,updates,post,post-pump,post-realtime]
 * </pre>
 * Defaults: 15 s measured, 10 s warm-up, the first three. {@code -Dcivicsync.bench.durability=POWER_LOSS}
 * also forces every commit and shared append to the device. State goes to a temporary directory,
 * deleted at the end.
 */
public final class ServeBenchmark {
  private static final int CASES = 2_000;
  private static final int NOTES_PER_CASE = 50;
  private static final int WINDOW_UPDATES = 50;
  /** How often the drainer turns receipts into links while POSTs are measured. */
  private static final long DRAIN_EVERY_MS = 200;
  /** How often the host's pump runs work() in the post-pump run (the sample config's every). */
  private static final long PUMP_EVERY_MS = 2_000;
  private static final Instant JOURNAL_START = Instant.parse("2024-06-01T00:00:00Z");

  private ServeBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    List<String> only = List.of((args.length > 2 ? args[2] : "services,updates,post").split(","));
    Path dir = Files.createTempDirectory("serve-bench");
    String apiKey = HexFormat.of().formatHex(SecureRandom.getInstanceStrong().generateSeed(16));
    SettableClock clock = new SettableClock(JOURNAL_START.minus(Duration.ofDays(1)));
    InMemoryCrm crm = ServeExample.crm(clock);
    H2Durability durability = H2Durability.valueOf(
        System.getProperty("civicsync.bench.durability", H2Durability.PROCESS_CRASH.name()));
    System.out.println("store durability: " + durability);
    try (SyncStore store = SyncStores.h2File(dir.resolve("serve"), durability,
        clock)) {
      Open311Server server = ServeExample.server(store, clock, crm, apiKey,
          ServedJurisdiction.Mode.QUEUED);
      if (only.contains("updates")) {
        long loadStart = System.nanoTime();
        loadJournal(server.serveMode(), crm, clock);
        System.out.printf("journal: %,d updates over %,d cases loaded in %.1f s%n",
            CASES * NOTES_PER_CASE, CASES, (System.nanoTime() - loadStart) / 1e9);
      }
      clock.follow(Clock.systemUTC());
      try (JettyOpen311Host host = JettyOpen311Host.start(server, "127.0.0.1", 0,
          "/open311/v2/")) {
        String base = "http://127.0.0.1:" + host.port() + "/open311/v2/";
        List<WrkRun> results = new ArrayList<>();
        if (only.contains("services")) {
          results.add(measure("GET services.xml", base + "services.xml", Optional.empty(),
              seconds, warmUp));
        }
        if (only.contains("updates")) {
          Path updates = script(dir, "updates.lua", updatesScript(apiKey));
          results.add(measure("GET servicerequestupdates.xml (50)",
              base + "servicerequestupdates.xml", Optional.of(updates), seconds, warmUp));
        }
        ServeMode.WriteStats before = server.serveMode().writeStats();
        long drained = 0;
        if (only.contains("post")) {
          // The drainer runs alongside, as the host's pump would: receipts become links and work.
          drained += measurePost(server, store, base, dir, apiKey, "q",
              "POST requests.xml (queued)",
              () -> server.serveMode().drain(ServeExample.JURISDICTION), DRAIN_EVERY_MS, seconds,
              warmUp, results);
        }
        if (only.contains("post-pump")) {
          // The whole pipeline alongside: work() every 2 s (the sample config's every) drains,
          // creates the cases in the in-memory CRM and reads its changes back.
          drained += measurePost(server, store, base, dir, apiKey, "p",
              "POST requests.xml (queued, work() alongside)",
              () -> server.serveMode().work(ServeExample.JURISDICTION), PUMP_EVERY_MS, seconds,
              warmUp, results);
        }
        ServeMode.WriteStats after = server.serveMode().writeStats();
        if (only.contains("post-realtime")) {
          Open311Server realtime = ServeExample.server(store, clock, crm, apiKey,
              ServedJurisdiction.Mode.REALTIME);
          try (JettyOpen311Host rt = JettyOpen311Host.start(realtime, "127.0.0.1", 0,
              "/open311/v2/")) {
            Path posts = script(dir, "post-rt.lua", postScript(apiKey, "r"));
            results.add(measure("POST requests.xml (realtime)",
                "http://127.0.0.1:" + rt.port() + "/open311/v2/requests.xml", Optional.of(posts),
                seconds, warmUp));
          }
        }
        System.out.println();
        for (WrkRun r : results) {
          System.out.println(r.summary());
        }
        long writes = after.writes() - before.writes();
        long commits = after.commits() - before.commits();
        System.out.printf("POST queued (warm-up + measured): %,d reports in %,d durable commits, "
            + "%.1f per commit; %,d drained into links%n", writes, commits,
            commits == 0 ? 0.0 : (double) writes / commits, drained);
      }
    } finally {
      deleteQuietly(dir);
    }
  }

  /**
   * One POST stream with a pump running {@code round} every {@code everyMs} alongside; then the
   * receipts still pending are drained and timed. Links are counted in the store.
   *
   * @return links created
   */
  private static long measurePost(Open311Server server, SyncStore store, String base, Path dir,
      String apiKey, String run, String name, Runnable round, long everyMs, int seconds,
      int warmUp, List<WrkRun> results) throws IOException, InterruptedException {
    Path posts = script(dir, "post-" + run + ".lua", postScript(apiKey, run));
    long linksBefore = links(store);
    ScheduledExecutorService pump = Executors.newSingleThreadScheduledExecutor();
    pump.scheduleWithFixedDelay(() -> {
      try {
        round.run();
      } catch (RuntimeException e) {
        System.err.println("pump round failed: " + e); // and runs again, as the host's would
      }
    }, everyMs, everyMs, TimeUnit.MILLISECONDS);
    try {
      results.add(measure(name, base + "requests.xml", Optional.of(posts), seconds, warmUp));
    } finally {
      pump.shutdown();
      if (!pump.awaitTermination(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the pump's round did not finish within 10 minutes");
      }
    }
    long whileServing = links(store) - linksBefore;
    int pending = server.serveMode().undrained(ServeExample.JURISDICTION).orElse(-1);
    long start = System.nanoTime();
    long left = server.serveMode().drain(ServeExample.JURISDICTION);
    double took = (System.nanoTime() - start) / 1e9;
    System.out.printf("%s: %,d links made while serving (and the pump's last round); %,d receipts"
        + " pending, drained into %,d links in %.1f s (%,.0f/s)%n", name, whileServing, pending,
        left, took, left == 0 ? 0.0 : left / took);
    return whileServing + left;
  }

  private static long links(SyncStore store) {
    org.civicsync.core.store.LinkCounts counts = store.links().counts(ServeExample.JURISDICTION);
    return counts.open() + counts.complete();
  }


  private static WrkRun measure(String name, String url, Optional<Path> script, int seconds,
      int warmUp) throws IOException, InterruptedException {
    if (warmUp > 0) {
      WrkRun w = WrkRun.run(name + " warm-up", url, script, warmUp);
      System.out.println(w.summary());
    }
    WrkRun r = WrkRun.run(name, url, script, seconds);
    System.out.println(r.report());
    return r;
  }

  /**
   * 2,000 cases created through serve mode, then 50 rounds of one officer note per case, each note
   * a second after the last, read into the journal by the engine after each round.
   */
  private static void loadJournal(ServeMode serveMode, InMemoryCrm crm, SettableClock clock) {
    List<String> caseIds = new ArrayList<>(CASES);
    for (int i = 0; i < CASES; i++) {
      Report report = Report.builder().serviceCode("POT").description("Pothole " + i)
          .attribute("fixmystreet_id", "j" + i).build();
      ServeMode.Received r = serveMode.receive(ServeExample.JURISDICTION, "fms-j" + i, report, true);
      caseIds.add(r.crmId().orElseThrow(() -> new IllegalStateException("case not created")));
    }
    Instant at = JOURNAL_START;
    for (int round = 0; round < NOTES_PER_CASE; round++) {
      for (String caseId : caseIds) {
        clock.set(at);
        crm.officer().addNote(caseId, "Inspected, round " + round);
        at = at.plusSeconds(1);
      }
      serveMode.work(ServeExample.JURISDICTION);
    }
  }

  /** Random windows of 50 seconds (50 updates) within the journal's 100,000 seconds. */
  private static String updatesScript(String apiKey) {
    long first = JOURNAL_START.getEpochSecond();
    long span = (long) CASES * NOTES_PER_CASE - WINDOW_UPDATES;
    return """
        math.randomseed(os.time())
        local fmt = "!%%Y-%%m-%%dT%%H:%%M:%%SZ"
        request = function()
          local s = %d + math.random(0, %d)
          local path = wrk.path .. "?jurisdiction_id=%s&api_key=%s&start_date="
            .. os.date(fmt, s) .. "&end_date=" .. os.date(fmt, s + %d)
          return wrk.format("GET", path)
        end
        """.formatted(first, span, ServeExample.JURISDICTION, apiKey, WINDOW_UPDATES - 1);
  }

  /** FixMyStreet-like form bodies; fixmystreet_id unique per request across both wrk threads. */
  private static String postScript(String apiKey, String run) {
    return """
        local counter = 0
        local threads = 0
        -- per thread, per run: seconds since epoch mod 1e5, then thread number, then a counter
        setup = function(thread)
          threads = threads + 1
          thread:set("prefix", (os.time() %% 100000) * 100000000 + threads * 10000000)
        end
        request = function()
          counter = counter + 1
          local body = "api_key=%s&jurisdiction_id=%s&service_code=POT"
            .. "&description=Deep+pothole+outside+number+12&lat=51.5072&long=-0.1276"
            .. "&address_string=High+Street&email=citizen%%40example.org&first_name=A&last_name=B"
            .. "&attribute%%5Bfixmystreet_id%%5D=%s" .. string.format("%%d", prefix + counter)
          return wrk.format("POST", nil,
            {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
        end
        """.formatted(apiKey, ServeExample.JURISDICTION, run);
  }

  private static Path script(Path dir, String name, String lua) throws IOException {
    return Files.writeString(dir.resolve(name), lua, StandardCharsets.UTF_8);
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory
    }
  }

  /** The loader's clock (one second per note), then the system clock while serving. */
  private static final class SettableClock extends Clock {
    private volatile Instant now;
    private volatile Clock follow;

    SettableClock(Instant start) {
      this.now = start;
    }

    void set(Instant value) {
      now = value;
    }

    void follow(Clock clock) {
      follow = clock;
    }

    @Override
    public Instant instant() {
      Clock f = follow;
      return f != null ? f.instant() : now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }
}
