package org.civicsync.examples.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.civicsync.core.crm.memory.InMemoryCrm;
import org.civicsync.core.mapping.JurisdictionMapping;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.model.Status;
import org.civicsync.core.spi.CrmCase;
import org.civicsync.core.store.H2Durability;
import org.civicsync.core.store.OutboxState;
import org.civicsync.core.store.SyncStore;
import org.civicsync.core.store.SyncStores;
import org.civicsync.core.sync.Jurisdiction;
import org.civicsync.core.sync.Open311Side;
import org.civicsync.core.sync.PassResult;
import org.civicsync.core.sync.SyncEngine;
import org.civicsync.core.sync.SyncSettings;
import org.civicsync.open311.Format;
import org.civicsync.open311.client.Open311Client;
import org.civicsync.open311.sync.Open311ClientSide;

/**
 * Backfills a loopback Open311 endpoint's requests into the in-memory CRM through the poll-mode
 * engine with its H2 file store (durable against a process crash), then closes every case and
 * delivers every closure back, and prints reports/s, updates/s and heap. A harness, not a test:
 * on the shared two-core machine figures vary by up to ±35 % between runs. The server, the engine
 * and the CRM share the one JVM and its heap, as they share the cores.
 *
 * <pre>
 * mvn -B -ntp -q package -DskipTests &amp;&amp; java -Xmx256m -cp examples/target/civicsync.jar \
 *     org.civicsync.examples.bench.BackfillBenchmark [reports]
 * </pre>
 *
 * {@code reports} defaults to 100,000, requested over the last 30 days. The target: at
 * least 2,000 reports/s end to end with {@code -Xmx256m}.
 */
public final class BackfillBenchmark {
  private static final String J = "bench";
  private static final int MAX_PASSES = 1_000;

  private BackfillBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0].replace("_", "").replace(",", "")) : 100_000;
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant from = now.minus(Duration.ofDays(30));
    HeapWatch heap = HeapWatch.start();
    Path dir = Files.createTempDirectory("civicsync-bench");
    try (LoopbackOpen311 server = LoopbackOpen311.start(count, from, now.minusSeconds(60));
         SyncStore store = SyncStores.h2File(dir.resolve("sync"), H2Durability.PROCESS_CRASH, Clock.systemUTC())) {
      InMemoryCrm crm = InMemoryCrm.builder().name("memory")
          .closedStatusCodes(Set.of("CLOSED", "FIXED", "NFA")).closingStatusCode("CLOSED").build();
      Open311Client client = Open311Client.builder(server.endpoint()).format(Format.XML)
          .pageLimit(LoopbackOpen311.PAGE).build();
      TimedOpen311 open311 = new TimedOpen311(Open311ClientSide.create(client, false, true));
      SyncEngine engine = SyncEngine.builder(store).owner("bench")
          .jurisdiction(new Jurisdiction(J, open311, crm,
              mapping(), SyncSettings.ofDefaults(from.minusSeconds(1))))
          .build();
      System.out.printf(Locale.ROOT, "%,d reports on %s, H2 file store in %s, max heap %,d MB%n",
          count, server.endpoint(), dir, Runtime.getRuntime().maxMemory() >> 20);

      Phase backfill = Phase.run("backfill", engine, () -> crm.calls(org.civicsync.core.spi.CrmOperation.CREATE_CASE) >= count
          && drained(store));
      int created = (int) crm.cases().stream().filter(c -> c.externalReference().isPresent()).count();
      check(created == count, "cases created: " + created + " of " + count);
      backfill.print(count, "reports", server);
      open311.print();
      heap.print("after backfill");

      List<CrmCase> cases = crm.cases();
      for (CrmCase c : cases) {
        crm.officer().close(c.caseId(), "FIXED");
      }
      cases = null;
      Phase delivery = Phase.run("closures", engine, () -> server.updatesReceived() >= count && drained(store));
      check(server.updatesReceived() == count, "updates received: " + server.updatesReceived() + " of " + count);
      delivery.print(count, "updates", server);
      open311.print();
      heap.print("after closures");
      Map<OutboxState, Long> outbox = store.outbox().counts(J);
      check(outbox.get(OutboxState.DEAD) == 0, "dead items: " + outbox);
      System.out.printf(Locale.ROOT, "outbox %s; %,d POSTs for %,d distinct update ids%n", outbox,
          server.posts(), server.updatesReceived());
    } finally {
      heap.stop();
      delete(dir);
    }
  }

  /** The passes of one phase, timed from the first to the one after which {@code done} holds. */
  private record Phase(String name, int passes, double seconds, PassResult totals) {
    static Phase run(String name, SyncEngine engine, BooleanSupplier done) {
      long started = System.nanoTime();
      int passes = 0;
      PassTotals totals = new PassTotals();
      do {
        if (++passes > MAX_PASSES) {
          throw new IllegalStateException(name + ": not done after " + MAX_PASSES + " passes");
        }
        totals.add(engine.runOnce(J));
      } while (!done.getAsBoolean());
      return new Phase(name, passes, (System.nanoTime() - started) / 1e9, totals.result());
    }

    void print(int count, String what, LoopbackOpen311 server) {
      System.out.printf(Locale.ROOT, "%-9s %,8d %s in %6.1f s = %,7.0f %s/s  (%d passes, %,d GETs and %,d POSTs so far; %s)%n",
          name, count, what, seconds, count / seconds, what, passes, server.gets(), server.posts(), totals);
    }
  }

  /** Times the engine's calls to the endpoint, so a run shows how much of it is HTTP. */
  private static final class TimedOpen311 implements Open311Side {
    private final Open311Side delegate;
    private long getNanos;
    private long gets;
    private long postNanos;
    private long posts;

    TimedOpen311(Open311Side delegate) {
      this.delegate = delegate;
    }

    @Override
    public List<Report> requestsBetween(OffsetDateTime start, OffsetDateTime end) {
      long t = System.nanoTime();
      try {
        return delegate.requestsBetween(start, end);
      } finally {
        getNanos += System.nanoTime() - t;
        gets++;
      }
    }

    @Override
    public List<Report> requestsById(List<String> ids) {
      long t = System.nanoTime();
      try {
        return delegate.requestsById(ids);
      } finally {
        getNanos += System.nanoTime() - t;
        gets++;
      }
    }

    @Override
    public Optional<List<ReportUpdate>> updatesBetween(OffsetDateTime start, OffsetDateTime end) {
      return delegate.updatesBetween(start, end);
    }

    @Override
    public boolean acceptsUpdates() {
      return delegate.acceptsUpdates();
    }

    @Override
    public String postUpdate(ReportUpdate update) {
      long t = System.nanoTime();
      try {
        return delegate.postUpdate(update);
      } finally {
        postNanos += System.nanoTime() - t;
        posts++;
      }
    }

    /** Prints the time spent in calls since the last print, and starts again. */
    void print() {
      System.out.printf(Locale.ROOT, "          of which reading requests (%,d calls) %.1f s, posting updates (%,d calls) %.1f s%n",
          gets, getNanos / 1e9, posts, postNanos / 1e9);
      getNanos = 0;
      postNanos = 0;
      gets = 0;
      posts = 0;
    }
  }

  /** Sums the counts of the passes of a phase. */
  private static final class PassTotals {
    private final long[] sums = new long[11];

    void add(PassResult r) {
      int[] v = {r.requestsSeen(), r.linksCreated(), r.casesCreated(), r.crmChangesRead(),
          r.updatesForOpen311(), r.updatesDelivered(), r.updatesForCrm(), r.crmUpdatesApplied(),
          r.echoesDropped(), r.staleDropped(), r.workFailed()};
      for (int i = 0; i < v.length; i++) {
        sums[i] += v[i];
      }
    }

    PassResult result() {
      return new PassResult(J, (int) sums[0], (int) sums[1], (int) sums[2], (int) sums[3],
          (int) sums[4], (int) sums[5], (int) sums[6], (int) sums[7], (int) sums[8], (int) sums[9],
          (int) sums[10]);
    }
  }

  /** Samples the heap in use every 50 ms; the peak includes garbage not yet collected. */
  private static final class HeapWatch {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peak = new AtomicLong();
    private final Thread sampler;

    private HeapWatch() {
      sampler = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "heap-watch");
      sampler.setDaemon(true);
    }

    static HeapWatch start() {
      HeapWatch watch = new HeapWatch();
      watch.sampler.start();
      return watch;
    }

    void print(String when) {
      System.gc();
      System.out.printf(Locale.ROOT, "heap %s: %,d MB live after a full GC; peak in use so far %,d MB (sampled, with garbage); max %,d MB%n",
          when, memory.getHeapMemoryUsage().getUsed() >> 20, peak.get() >> 20,
          Runtime.getRuntime().maxMemory() >> 20);
    }

    void stop() {
      sampler.interrupt();
    }
  }

  private static boolean drained(SyncStore store) {
    Map<OutboxState, Long> counts = store.outbox().counts(J);
    return counts.get(OutboxState.PENDING) + counts.get(OutboxState.IN_FLIGHT)
        + counts.get(OutboxState.UNKNOWN) == 0;
  }

  /** As the core tests map Bristol: two services, the council's status codes. */
  static JurisdictionMapping mapping() {
    return JurisdictionMapping.builder(J)
        .service("POT", "Pothole").service("LIGHT", "StreetLight")
        .crmStatus("NEW", Status.OPEN).crmStatus("INP", Status.IN_PROGRESS)
        .crmStatus("FIXED", Status.FIXED).crmStatus("CLOSED", Status.CLOSED)
        .crmStatus("NFA", Status.NO_FURTHER_ACTION).crmStatus("REOPENED", Status.OPEN)
        .ignoreCrmStatus("TRIAGE")
        .open311Status(Status.IN_PROGRESS, "INP")
        .closesCrmCase(Status.FIXED, Status.CLOSED)
        .citizenFixedClosesCrmCase(true)
        .crmZone(ZoneId.of("Europe/London")).open311Zone(ZoneId.of("UTC"))
        .build();
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException("benchmark result is wrong: " + message);
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
