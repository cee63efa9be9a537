package org.civicsync.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.civicsync.core.crm.memory.InMemoryCrm;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.model.Status;
import org.civicsync.core.spi.CrmCase;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.core.store.Link;
import org.civicsync.core.store.OutboxState;
import org.civicsync.core.store.SyncStore;
import org.civicsync.core.store.SyncStores;
import org.civicsync.core.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes share one PostgreSQL database, one Open311 endpoint and one CRM, and run their passes
 * at the same moment on two threads: 1,000 reports reach the CRM once each, and 1,000 closures
 * reach Open311 once each. Each node has its own connection pool, as two processes would; the
 * lease lets one of them read the feeds per pass, and both work the outbox. Time is a shared
 * {@link MutableClock} moved between rounds, so nothing sleeps.
 */
class TwoEnginesOnPostgresTest {
  static final String J = PollSyncTest.J;
  static final int REPORTS = 1_000;
  static final int BATCHES = 4;
  static final int MAX_ROUNDS = 40;
  static final int MAX_PASSES_PER_ROUND = 500;

  static EmbeddedPostgres server;

  final MutableClock clock = MutableClock.at("2024-05-01T09:00:00Z");
  final FakeOpen311 open311 = new FakeOpen311(clock);
  final InMemoryCrm crm = InMemoryCrm.builder().name("memory").clock(clock)
      .closedStatusCodes(Set.of("CLOSED", "FIXED", "NFA")).closingStatusCode("CLOSED").build();
  final CountingOpen311 openA = new CountingOpen311(open311);
  final CountingOpen311 openB = new CountingOpen311(open311);
  final Map<String, List<PassResult>> passes = new HashMap<>();
  ExecutorService threads;
  SyncStore storeA;
  SyncStore storeB;
  SyncEngine nodeA;
  SyncEngine nodeB;
  int rounds;

  @BeforeAll
  static void startServer() throws Exception {
    server = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    try (Connection c = server.getPostgresDatabase().getConnection();
         Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS two_engines");
      s.execute("CREATE DATABASE two_engines");
    }
    String url = server.getJdbcUrl("postgres", "two_engines").replaceFirst("\\?.*$", "");
    storeA = SyncStores.jdbc(url, "postgres", "", clock);
    storeB = SyncStores.jdbc(url, "postgres", "", clock);
    nodeA = engine(storeA, "node-a", openA);
    nodeB = engine(storeB, "node-b", openB);
    threads = Executors.newFixedThreadPool(2);
  }

  @AfterEach
  void tearDown() {
    threads.shutdownNow();
    storeA.close();
    storeB.close();
  }

  SyncEngine engine(SyncStore store, String owner, Open311Side open311) {
    return SyncEngine.builder(store).clock(clock).owner(owner).leaseTtl(Duration.ofMinutes(2))
        .jurisdiction(new Jurisdiction(J, open311, crm, PollSyncTest.mapping(true),
            SyncSettings.ofDefaults(Instant.parse("2024-05-01T00:00:00Z"))))
        .build();
  }

  @Test
  void twoNodesCreateEachCaseOnceAndDeliverEachClosureOnce() throws Exception {
    // Reports arrive in batches while the nodes run, so intake on one node overlaps outbox work
    // on the other.
    List<String> reports = new ArrayList<>();
    int perBatch = REPORTS / BATCHES;
    while (reports.size() < REPORTS || !casesCreated(REPORTS)) {
      if (reports.size() < REPORTS) {
        for (int i = 0; i < perBatch; i++) {
          reports.add(open311.report(i % 2 == 0 ? "POT" : "LIGHT", Integer.toString(90_000 + reports.size())));
        }
      }
      int published = reports.size();
      round(() -> casesCreated(published));
    }
    assertThat(reports).hasSize(REPORTS);
    for (String report : reports) {
      assertThat(crm.createCount(report)).as("creates for report %s", report).isEqualTo(1);
    }
    assertThat(crm.cases()).hasSize(REPORTS);

    Map<String, String> closureByReport = new HashMap<>();
    for (CrmCase c : crm.cases()) {
      long version = crm.officer().close(c.caseId(), "FIXED");
      closureByReport.put(c.externalReference().orElseThrow(), "crm-" + c.caseId() + "-" + version);
    }
    while (!allClosuresDelivered(closureByReport)) {
      round(() -> allClosuresDelivered(closureByReport));
    }

    Map<String, ReportUpdate> received = open311.received();
    assertThat(received).hasSize(REPORTS);
    for (String report : reports) {
      String updateId = closureByReport.get(report);
      assertThat(open311.posts(updateId)).as("posts of %s", updateId).isEqualTo(1);
      assertThat(received.get(updateId).status()).contains(Status.FIXED);
      assertThat(received.get(updateId).serviceRequestId()).contains(report);
      assertThat(open311.request(report).status()).contains(Status.FIXED);
      Link link = storeA.links().findByOpen311Id(J, report).orElseThrow();
      assertThat(link.complete()).as("link of report %s complete", report).isTrue();
      assertThat(link.crmId()).isEqualTo(crm.cases().stream()
          .filter(c -> c.externalReference().orElseThrow().equals(report)).findFirst()
          .map(CrmCase::caseId));
    }
    // Nothing happened on Open311 but our own closures: nothing may go back to the CRM as news.
    assertThat(crm.calls(CrmOperation.APPLY_UPDATE)).isZero();
    assertThat(storeA.outbox().listDead(J)).isEmpty();
    assertThat(storeB.outbox().counts(J)).containsEntry(OutboxState.DONE, 2L * REPORTS)
        .containsEntry(OutboxState.PENDING, 0L).containsEntry(OutboxState.UNKNOWN, 0L)
        .containsEntry(OutboxState.IN_FLIGHT, 0L).containsEntry(OutboxState.DEAD, 0L);
    // Both nodes did remote calls: the work was shared, not merely done by one while the other idled.
    assertThat(outboxWork("node-a")).isPositive();
    assertThat(outboxWork("node-b")).isPositive();
    // The lease moved between them, and the feeds' cursors with it.
    assertThat(openA.polls()).isPositive();
    assertThat(openB.polls()).isPositive();
  }

  /**
   * Node B's lease lapses while its POST of a closure is on the wire (a slow endpoint), and node A
   * takes over the feeds at that moment: A re-polls the request, finds it FIXED before B has
   * recorded the delivery, and must see that the CRM is FIXED already rather than take the
   * status for a citizen's news and send it to the CRM.
   */
  @Test
  void aNodeThatPollsWhileTheOtherIsPostingDoesNotEchoTheClosureToTheCrm() {
    String report = open311.report("POT", "9001");
    clock.advance(Duration.ofMinutes(1));
    nodeB.runOnce(J);
    String caseId = storeB.links().findByOpen311Id(J, report).flatMap(Link::crmId).orElseThrow();
    long version = crm.officer().close(caseId, "FIXED");

    openB.afterPost(() -> {
      clock.advance(Duration.ofMinutes(3));
      nodeA.runOnce(J);
    });
    clock.advance(Duration.ofMinutes(1));
    nodeB.runOnce(J);
    openB.afterPost(() -> { });
    clock.advance(Duration.ofMinutes(1));
    nodeA.runOnce(J);
    nodeB.runOnce(J);

    assertThat(openA.polls()).as("node A polled during B's post").isPositive();
    assertThat(open311.posts("crm-" + caseId + "-" + version)).isEqualTo(1);
    assertThat(crm.calls(CrmOperation.APPLY_UPDATE)).isZero();
    assertThat(crm.notes(caseId)).isEmpty();
    assertThat(storeA.links().findByOpen311Id(J, report).orElseThrow().complete()).isTrue();
    assertThat(storeA.outbox().counts(J)).containsEntry(OutboxState.DONE, 2L);
  }

  /**
   * One round: the clock moves, then both nodes run passes at the same time until {@code done}
   * (each at least one pass, at most {@link #MAX_PASSES_PER_ROUND}). Every fourth round the lease
   * lapses and the node that has polled less goes first, so the lease and the feeds' cursors pass
   * from node to node.
   */
  void round(BooleanSupplier done) throws InterruptedException, ExecutionException {
    assertThat(++rounds).as("rounds until done").isLessThanOrEqualTo(MAX_ROUNDS);
    boolean lapse = rounds % 4 == 0;
    clock.advance(lapse ? Duration.ofMinutes(3) : Duration.ofMinutes(1));
    boolean bLeads = lapse && openB.polls() < openA.polls();
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch leaderPassed = new CountDownLatch(lapse ? 1 : 0);
    Future<List<PassResult>> a = threads.submit(() -> passesUntil(nodeA, done, start,
        bLeads ? leaderPassed : null, bLeads ? null : leaderPassed));
    Future<List<PassResult>> b = threads.submit(() -> passesUntil(nodeB, done, start,
        bLeads ? null : leaderPassed, bLeads ? leaderPassed : null));
    start.countDown();
    try {
      passes.computeIfAbsent("node-a", k -> new ArrayList<>()).addAll(a.get(120, TimeUnit.SECONDS));
      passes.computeIfAbsent("node-b", k -> new ArrayList<>()).addAll(b.get(120, TimeUnit.SECONDS));
    } catch (TimeoutException e) {
      throw new AssertionError("round " + rounds + " took over two minutes", e);
    }
  }

  private static List<PassResult> passesUntil(SyncEngine node, BooleanSupplier done,
      CountDownLatch start, CountDownLatch waitFor, CountDownLatch signal) throws InterruptedException {
    start.await();
    if (waitFor != null) {
      waitFor.await();
    }
    List<PassResult> results = new ArrayList<>();
    do {
      results.add(node.runOnce(J));
      if (signal != null) {
        signal.countDown();
      }
    } while (!done.getAsBoolean() && results.size() < MAX_PASSES_PER_ROUND);
    return results;
  }

  /** Each node's own view of the one endpoint, counting its polls of the requests feed. */
  static final class CountingOpen311 implements Open311Side {
    private final Open311Side shared;
    private final java.util.concurrent.atomic.AtomicInteger polls = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Runnable afterPost = () -> { };

    CountingOpen311(Open311Side shared) {
      this.shared = shared;
    }

    int polls() {
      return polls.get();
    }

    /** Runs {@code action} after each post has reached the endpoint, before the node records it. */
    void afterPost(Runnable action) {
      this.afterPost = action;
    }

    @Override
    public List<org.civicsync.core.model.Report> requestsBetween(java.time.OffsetDateTime start, java.time.OffsetDateTime end) {
      polls.incrementAndGet();
      return shared.requestsBetween(start, end);
    }

    @Override
    public List<org.civicsync.core.model.Report> requestsById(List<String> ids) {
      return shared.requestsById(ids);
    }

    @Override
    public java.util.Optional<List<ReportUpdate>> updatesBetween(java.time.OffsetDateTime start, java.time.OffsetDateTime end) {
      return shared.updatesBetween(start, end);
    }

    @Override
    public boolean acceptsUpdates() {
      return shared.acceptsUpdates();
    }

    @Override
    public String postUpdate(ReportUpdate update) {
      String id = shared.postUpdate(update);
      afterPost.run();
      return id;
    }
  }

  int outboxWork(String node) {
    return passes.get(node).stream().mapToInt(p -> p.casesCreated() + p.updatesDelivered()).sum();
  }

  boolean casesCreated(int reports) {
    List<Link> links = openLinks();
    return links.size() == reports && links.stream().allMatch(l -> l.crmId().isPresent())
        && outboxDrained();
  }

  boolean allClosuresDelivered(Map<String, String> closureByReport) {
    return openLinks().isEmpty() && outboxDrained()
        && open311.received().keySet().containsAll(closureByReport.values());
  }

  boolean outboxDrained() {
    Map<OutboxState, Long> counts = storeA.outbox().counts(J);
    return counts.get(OutboxState.PENDING) + counts.get(OutboxState.IN_FLIGHT)
        + counts.get(OutboxState.UNKNOWN) == 0;
  }

  List<Link> openLinks() {
    List<Link> all = new ArrayList<>();
    long after = 0;
    while (true) {
      List<Link> page = storeA.links().openLinks(J, after, 500);
      if (page.isEmpty()) {
        return all;
      }
      all.addAll(page);
      after = page.get(page.size() - 1).id();
    }
  }
}
