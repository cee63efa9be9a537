package org.civicsync.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.civicsync.core.crm.memory.InMemoryCrm;
import org.civicsync.core.mapping.JurisdictionMapping;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.model.Status;
import org.civicsync.core.store.H2Durability;
import org.civicsync.core.store.JournalEntry;
import org.civicsync.core.store.NewJournalEntry;
import org.civicsync.core.store.Side;
import org.civicsync.core.store.SyncStore;
import org.civicsync.core.store.SyncStores;
import org.civicsync.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serve mode's journal in memory on an H2 file store: the same answers as the store's window
 * query, entries committed out of seq order, gaps, freshness and the fall back to the store.
 * Time for the index is a counter the tests move; nothing sleeps.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JournalIndexTest {
  private static final String J = "council.example";
  private static final String OTHER = "other.example";
  private static final Instant T0 = Instant.parse("2024-05-01T09:00:00Z");

  @TempDir Path dir;
  private final MutableClock clock = MutableClock.at("2024-05-01T09:00:00Z");
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private SyncStore store;
  private JournalIndex index;

  @BeforeEach
  void open() {
    store = SyncStores.h2File(dir.resolve("journal"), H2Durability.PROCESS_CRASH, clock);
    index = index(JournalIndex.CAPACITY);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void answersExactlyAsTheStoreWindowDoes() {
    Random random = new Random(7);
    for (int i = 0; i < 400; i++) {
      String jurisdiction = random.nextInt(4) == 0 ? OTHER : J;
      Side side = random.nextInt(3) == 0 ? Side.CRM : Side.OPEN311;
      // Few distinct times, so ties are broken by seq; some updates carry a time of their own.
      Instant updated = T0.plusSeconds(random.nextInt(60)).plusNanos(random.nextInt(2) * 1_000);
      Instant own = random.nextInt(5) == 0 ? T0.plusSeconds(random.nextInt(60)) : null;
      append(jurisdiction, side, "u-" + i, updated, own);
    }
    for (int w = 0; w < 200; w++) {
      // Bounds off the microsecond too: the store cuts them to its column's precision.
      Instant start = T0.plusSeconds(random.nextInt(70) - 5).plusNanos(random.nextInt(3) * 500);
      Instant end = start.plusSeconds(random.nextInt(30)).plusNanos(random.nextInt(3) * 500);
      int limit = 1 + random.nextInt(40);
      String jurisdiction = w % 2 == 0 ? J : OTHER;

      List<ReportUpdate> indexed = index.window(jurisdiction, start, end, limit).orElseThrow();

      assertThat(indexed).extracting(u -> u.updateId().orElseThrow())
          .as("%s [%s, %s] limit %d", jurisdiction, start, end, limit)
          .containsExactlyElementsOf(fromStore(jurisdiction, start, end, limit));
    }
    assertThat(index.window(J, T0.plusSeconds(10), T0, 5)).hasValue(List.of());
  }

  @Test
  void servesTheSameObjectForAnEntryEveryTime() {
    append(J, Side.OPEN311, "u-1", T0, null);

    ReportUpdate first = index.window(J, T0, T0, 10).orElseThrow().get(0);
    index.changed();
    ReportUpdate second = index.window(J, T0.minusSeconds(1), T0, 10).orElseThrow().get(0);

    assertThat(second).isSameAs(first);
  }

  @Test
  void aLowerSeqCommittedAfterAHigherOneIsServedOnceItCommits() throws Exception {
    try (HeldOpen slow = holdOpen("slow")) {
      append(J, Side.OPEN311, "quick", T0.plusSeconds(1), null);
      index.changed();

      assertThat(ids(index.window(J, T0, T0.plusSeconds(1), 10))).containsExactly("quick");
      assertThat(index.openGaps()).isEqualTo(1);

      slow.commit();
      index.changed();

      assertThat(ids(index.window(J, T0, T0.plusSeconds(1), 10)))
          .containsExactly("slow", "quick");
      assertThat(index.openGaps()).isZero();
      List<JournalEntry> bySeq = store.journal().bySeq(0, Long.MAX_VALUE, 10);
      assertThat(bySeq).extracting(JournalEntry::updateId)
          .as("the slow entry holds the lower seq").containsExactly("slow", "quick");
    }
  }

  @Test
  void withGapsNearAndFarALowerSeqCommittedLateIsStillServed() throws Exception {
    try (HeldOpen slow = holdOpen("slow")) {
      append(J, Side.OPEN311, "first", T0.plusSeconds(1), null);
      int rolledBack = 20;
      for (int i = 0; i < rolledBack; i++) {
        rollBack(entry(J, Side.OPEN311, "rolled-back-" + i, T0, null));
        append(J, Side.OPEN311, "u-" + i, T0.plusSeconds(1), null);
      }
      // Past the distance at which gaps are read together: the slow one's gap is read alone.
      for (int i = 0; i < JournalIndex.GAP_JOIN; i++) {
        append(OTHER, Side.CRM, "far-" + i, T0, null);
      }
      rollBack(entry(J, Side.OPEN311, "rolled-back-far", T0, null));
      append(J, Side.OPEN311, "last", T0.plusSeconds(1), null);
      rolledBack++;
      index.changed();
      assertThat(ids(index.window(J, T0, T0, 10))).isEmpty();
      assertThat(index.openGaps()).isEqualTo(rolledBack + 1);

      slow.commit();
      index.changed();

      assertThat(ids(index.window(J, T0, T0, 10))).containsExactly("slow");
      assertThat(ids(index.window(J, T0, T0.plusSeconds(1), 100))).hasSize(rolledBack + 2);
      assertThat(index.openGaps()).isEqualTo(rolledBack);
    }
  }

  @Test
  void aReportedChangeIsInTheNextAnswerWhileOtherThreadsReadAndRefresh() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    AtomicBoolean done = new AtomicBoolean();
    try {
      List<Future<Integer>> readers = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        readers.add(pool.submit(() -> {
          int reads = 0;
          while (!done.get()) {
            index.window(J, T0, T0.plusSeconds(1_000), 1_000).orElseThrow();
            reads++;
          }
          return reads;
        }));
      }
      for (int i = 0; i < 200; i++) {
        Instant at = T0.plusSeconds(i);
        append(J, Side.OPEN311, "u-" + i, at, null);
        index.changed();
        assertThat(ids(index.window(J, at, at, 10))).as("u-%d", i).containsExactly("u-" + i);
      }
      done.set(true);
      for (Future<Integer> reader : readers) {
        assertThat(reader.get(10, TimeUnit.SECONDS)).isPositive();
      }
    } finally {
      done.set(true);
      pool.shutdownNow();
    }
  }

  @Test
  void aGapIsReadAgainUntilTheGracePeriodHasPassed() {
    rollBack(entry(J, Side.OPEN311, "rolled-back", T0, null));
    append(J, Side.OPEN311, "u-1", T0, null);
    assertThat(ids(index.window(J, T0, T0, 10))).containsExactly("u-1");
    assertThat(index.openGaps()).isEqualTo(1);

    nanos.addAndGet(JournalIndex.GAP_GRACE - 1);
    index.changed();
    assertThat(ids(index.window(J, T0, T0, 10))).containsExactly("u-1");
    assertThat(index.openGaps()).as("not given up before the grace period").isEqualTo(1);

    nanos.incrementAndGet();
    index.changed();
    assertThat(ids(index.window(J, T0, T0, 10))).containsExactly("u-1");
    assertThat(index.openGaps()).isZero();
  }

  @Test
  void catchingUpLoadsTheJournalSoTheNextReadNeedsNoStore() {
    append(J, Side.OPEN311, "u-1", T0, null);
    append(J, Side.OPEN311, "u-2", T0.plusSeconds(1), null);
    index.changed();

    index.catchUp();
    store.close(); // a read that went to the store now would fail

    assertThat(ids(index.window(J, T0, T0.plusSeconds(1), 10))).containsExactly("u-1", "u-2");
    store = SyncStores.h2File(dir.resolve("journal"), H2Durability.PROCESS_CRASH, clock);
  }

  @Test
  void theFirstRefreshKeepsOpenOnlyTheGapsNearTheTop() {
    rollBack(entry(J, Side.OPEN311, "rolled-back-long-ago", T0, null));
    store.runInTransaction(tx -> {
      for (int i = 0; i <= JournalIndex.START_GAP_WINDOW; i++) {
        tx.journal().append(entry(OTHER, Side.CRM, "history-" + i, T0, null));
      }
    });
    rollBack(entry(J, Side.OPEN311, "rolled-back-just-now", T0, null));
    append(J, Side.OPEN311, "u-1", T0, null);

    assertThat(ids(index.window(J, T0, T0, 10))).containsExactly("u-1");

    assertThat(index.openGaps()).as("the old gap is history; the new one may still commit")
        .isEqualTo(1);
  }

  @Test
  void anotherWritersEntryIsSeenOnceTheStateIsOlderThanTheMaximumAge() {
    append(J, Side.OPEN311, "u-1", T0, null);
    assertThat(ids(index.window(J, T0, T0, 10))).containsExactly("u-1");

    append(J, Side.OPEN311, "u-2", T0, null);
    assertThat(ids(index.window(J, T0, T0, 10)))
        .as("unreported and within the maximum age: memory as it was").containsExactly("u-1");

    nanos.addAndGet(JournalIndex.MAX_AGE + 1);
    assertThat(ids(index.window(J, T0, T0, 10))).containsExactly("u-1", "u-2");

    append(J, Side.OPEN311, "u-3", T0, null);
    index.changed();
    assertThat(ids(index.window(J, T0, T0, 10)))
        .as("a reported change is read at once").containsExactly("u-1", "u-2", "u-3");
  }

  @Test
  void aWindowReachingBeforeTheOldestKeptEntryIsLeftToTheStore() {
    index = index(3);
    for (int i = 0; i < 5; i++) {
      append(J, Side.OPEN311, "u-" + i, T0.plusSeconds(i), null);
    }
    append(J, Side.CRM, "not-counted", T0, null);

    assertThat(ids(index.window(J, T0.plusSeconds(1).plusNanos(1000), T0.plusSeconds(9), 10)))
        .containsExactly("u-2", "u-3", "u-4");
    assertThat(index.window(J, T0.plusSeconds(1), T0.plusSeconds(9), 10))
        .as("u-1, at the window's start, was dropped").isEmpty();
    assertThat(index.window(J, T0, T0.plusSeconds(9), 10)).isEmpty();

    ServeMode serve = ServeMode.create(store, clock, "node-a", List.of(jurisdiction(J)), 3);
    assertThat(serve.updatesBetween(J, T0, T0.plusSeconds(9), 10))
        .extracting(u -> u.updateId().orElseThrow())
        .containsExactly("u-0", "u-1", "u-2", "u-3", "u-4");
    assertThat(serve.updatesBetween(J, T0.plusSeconds(1), T0.plusSeconds(9), 2))
        .extracting(u -> u.updateId().orElseThrow()).containsExactly("u-1", "u-2");
  }

  private JournalIndex index(int capacity) {
    return new JournalIndex(store.journal(), Set.of(J, OTHER), nanos::get,
        (linkId, payload) -> Payloads.read(payload, Work.DeliverUpdate.class).update(), capacity);
  }

  /** The store's window with serve mode's check on the update's own time. */
  private List<String> fromStore(String jurisdiction, Instant start, Instant end, int limit) {
    List<String> ids = new ArrayList<>();
    for (JournalEntry e : store.journal().window(jurisdiction, Side.OPEN311, start, end, limit)) {
      ReportUpdate u = Payloads.read(e.payload(), Work.DeliverUpdate.class).update();
      Instant at = u.updated().map(OffsetDateTime::toInstant).orElse(e.updated());
      if (!at.isBefore(start) && !at.isAfter(end)) {
        ids.add(e.updateId());
      }
    }
    return ids;
  }

  private void append(String jurisdiction, Side side, String id, Instant updated, Instant own) {
    assertThat(store.journal().append(entry(jurisdiction, side, id, updated, own))).isTrue();
  }

  private static NewJournalEntry entry(String jurisdiction, Side side, String id, Instant updated,
      Instant own) {
    ReportUpdate update = ReportUpdate.builder().updateId(id).serviceRequestId("case-" + id)
        .status(Status.UNCHANGED).description("")
        .updated(own == null ? null : own.atOffset(ZoneOffset.UTC)).build();
    return new NewJournalEntry(jurisdiction, side, id, 1, updated,
        Payloads.write(new Work.DeliverUpdate(1, update)));
  }

  /** Appends in a transaction that rolls back: the seq it took is a gap for good. */
  private void rollBack(NewJournalEntry entry) {
    try {
      store.runInTransaction(tx -> {
        tx.journal().append(entry);
        throw new IllegalStateException("roll back");
      });
    } catch (IllegalStateException expected) {
      assertThat(expected).hasMessage("roll back");
    }
  }

  private static List<String> ids(Optional<List<ReportUpdate>> window) {
    return window.orElseThrow().stream().map(u -> u.updateId().orElseThrow()).toList();
  }

  /**
   * An OPEN311 entry appended in a transaction left open on another thread (so it holds its seq
   * uncommitted) until {@link HeldOpen#commit}; closing without committing commits it too.
   */
  private HeldOpen holdOpen(String updateId) throws InterruptedException {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    CountDownLatch appended = new CountDownLatch(1);
    CountDownLatch commit = new CountDownLatch(1);
    Future<?> transaction = pool.submit(() -> store.runInTransaction(tx -> {
      tx.journal().append(entry(J, Side.OPEN311, updateId, T0, null));
      appended.countDown();
      await(commit);
    }));
    assertThat(appended.await(10, TimeUnit.SECONDS)).isTrue();
    return new HeldOpen(pool, commit, transaction);
  }

  private record HeldOpen(ExecutorService pool, CountDownLatch release, Future<?> transaction)
      implements AutoCloseable {
    void commit() throws Exception {
      release.countDown();
      transaction.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      release.countDown();
      pool.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Jurisdiction jurisdiction(String id) {
    JurisdictionMapping mapping = JurisdictionMapping.builder(id)
        .service("POT", "Pothole")
        .crmStatus("NEW", Status.OPEN).crmStatus("CLOSED", Status.CLOSED)
        .crmZone(ZoneId.of("Europe/London")).open311Zone(ZoneId.of("UTC"))
        .build();
    InMemoryCrm crm = InMemoryCrm.builder().name("memory").clock(clock)
        .closedStatusCodes(Set.of("CLOSED")).closingStatusCode("CLOSED").build();
    return new Jurisdiction(id, ServedOpen311.INSTANCE, crm, mapping,
        SyncSettings.ofDefaults(T0));
  }
}
