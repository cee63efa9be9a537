package org.civicsync.core.store;

import org.civicsync.core.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.civicsync.core.model.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SyncStore} must do, run against each database by a subclass. Time comes from
 * a {@link MutableClock}; nothing sleeps.
 */
abstract class SyncStoreContractTest {

  static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  static final String J = "camden";
  static final Duration TTL = Duration.ofMinutes(5);
  static final Optional<String> NONE = Optional.empty();

  final MutableClock clock = new MutableClock(T0);
  SyncStore store;

  /** A fresh, empty store on this test's database. */
  abstract SyncStore open(MutableClock clock) throws Exception;

  /** Another store instance on the same database (as a second node would have). */
  abstract SyncStore openSecond(MutableClock clock) throws Exception;

  /** A plain JDBC connection to the same database, for EXPLAIN. */
  abstract Connection rawConnection() throws SQLException;

  /** Asserts that a plan of {@link JdbcJournal#WINDOW} is an index range scan. */
  abstract void assertWindowPlanUsesIndex(String plan);

  /** How this database explains a statement. */
  abstract String explainPrefix();

  @BeforeEach
  void openStore() throws Exception {
    store = open(clock);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  // ---- links

  @Test
  void insertIfAbsentByOpen311IdCreatesOnceThenReturnsTheExistingLink() {
    LinkInsert first = store.links().insertIfAbsentByOpen311Id(
        NewLink.forOpen311(J, "o-1").withFixMyStreetId("fms-9")
            .withSide(Side.OPEN311, SideState.of(Status.OPEN, "v1")));
    clock.advance(Duration.ofSeconds(1));
    LinkInsert second = store.links().insertIfAbsentByOpen311Id(
        NewLink.forOpen311(J, "o-1").withCrmId("c-other"));

    assertThat(first.inserted()).isTrue();
    assertThat(second.inserted()).isFalse();
    assertThat(second.link()).isEqualTo(first.link());
    Link link = first.link();
    assertThat(link.open311Id()).contains("o-1");
    assertThat(link.crmId()).isEmpty();
    assertThat(link.fixMyStreetId()).contains("fms-9");
    assertThat(link.open311()).isEqualTo(SideState.of(Status.OPEN, "v1"));
    assertThat(link.crm()).isEqualTo(SideState.UNKNOWN);
    assertThat(link.complete()).isFalse();
    assertThat(link.revision()).isEqualTo(1);
    assertThat(link.created()).isEqualTo(T0);
    assertThat(link.updated()).isEqualTo(T0);
  }

  @Test
  void insertIfAbsentByCrmIdIsKeyedPerJurisdiction() {
    LinkInsert camden = store.links().insertIfAbsentByCrmId(NewLink.forCrm(J, "c-1"));
    LinkInsert again = store.links().insertIfAbsentByCrmId(NewLink.forCrm(J, "c-1"));
    LinkInsert other = store.links().insertIfAbsentByCrmId(NewLink.forCrm("bristol", "c-1"));

    assertThat(again.inserted()).isFalse();
    assertThat(again.link().id()).isEqualTo(camden.link().id());
    assertThat(other.inserted()).isTrue();
    assertThat(other.link().id()).isNotEqualTo(camden.link().id());
  }

  @Test
  void insertIfAbsentCollidingOnTheOtherIdFailsNamingTheKey() {
    store.links().insertIfAbsentByCrmId(NewLink.forCrm(J, "c-1").withOpen311Id("o-1"));

    assertThatThrownBy(() -> store.links().insertIfAbsentByOpen311Id(
        NewLink.forOpen311(J, "o-2").withCrmId("c-1")))
        .isInstanceOf(SyncStoreException.class)
        .hasMessageContaining("camden/o-2");
    assertThat(store.links().findByOpen311Id(J, "o-2")).isEmpty();
  }

  @Test
  void insertIfAbsentWithoutTheKeyIsRejected() {
    assertThatThrownBy(() -> store.links().insertIfAbsentByOpen311Id(NewLink.forCrm(J, "c")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("open311Id");
  }

  @Test
  void racingInsertsOfTheSameReportYieldOneLink() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 20; round++) {
        String id = "race-" + round;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<LinkInsert>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          results.add(pool.submit(() -> {
            start.await();
            return store.links().insertIfAbsentByOpen311Id(NewLink.forOpen311(J, id));
          }));
        }
        start.countDown();
        Set<Long> ids = new HashSet<>();
        int inserted = 0;
        for (Future<LinkInsert> result : results) {
          LinkInsert insert = result.get(30, TimeUnit.SECONDS);
          ids.add(insert.link().id());
          inserted += insert.inserted() ? 1 : 0;
        }
        assertThat(ids).as("round %s", round).hasSize(1);
        assertThat(inserted).as("round %s", round).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.links().openLinks(J, 0, 100)).hasSize(20);
  }

  @Test
  void findsByEveryIdAndNothingForUnknownIds() {
    Link link = store.links().insertIfAbsentByOpen311Id(
        NewLink.forOpen311(J, "o-1").withCrmId("c-1").withFixMyStreetId("f-1")).link();

    assertThat(store.links().find(link.id())).contains(link);
    assertThat(store.links().findByOpen311Id(J, "o-1")).contains(link);
    assertThat(store.links().findByCrmId(J, "c-1")).contains(link);
    assertThat(store.links().findByFixMyStreetId(J, "f-1")).contains(link);
    assertThat(store.links().find(link.id() + 1000)).isEmpty();
    assertThat(store.links().findByOpen311Id("bristol", "o-1")).isEmpty();
    assertThat(store.links().findByCrmId(J, "c-2")).isEmpty();
    assertThat(store.links().findByFixMyStreetId(J, "f-2")).isEmpty();
  }

  @Test
  void updateWithAStaleRevisionIsRefusedAndTheWinnerKept() {
    Link link = store.links().insertIfAbsentByOpen311Id(NewLink.forOpen311(J, "o-1")).link();
    clock.advance(Duration.ofMinutes(1));

    boolean first = store.links().update(
        link.withCrmId("c-1").withSide(Side.CRM, SideState.of(Status.IN_PROGRESS, "7")));
    boolean stale = store.links().update(link.withComplete(true));

    assertThat(first).isTrue();
    assertThat(stale).isFalse();
    Link stored = store.links().find(link.id()).orElseThrow();
    assertThat(stored.revision()).isEqualTo(2);
    assertThat(stored.crmId()).contains("c-1");
    assertThat(stored.crm()).isEqualTo(SideState.of(Status.IN_PROGRESS, "7"));
    assertThat(stored.complete()).isFalse();
    assertThat(stored.created()).isEqualTo(T0);
    assertThat(stored.updated()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
    assertThat(store.links().update(stored.withComplete(true))).isTrue();
    assertThat(store.links().find(link.id()).orElseThrow().revision()).isEqualTo(3);
  }

  @Test
  void openLinksPagesByIdAndSkipsCompleteLinksAndOtherJurisdictions() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      ids.add(store.links().insertIfAbsentByOpen311Id(NewLink.forOpen311(J, "o-" + i))
          .link().id());
    }
    store.links().insertIfAbsentByOpen311Id(NewLink.forOpen311("bristol", "o-x"));
    Link third = store.links().find(ids.get(2)).orElseThrow();
    assertThat(store.links().update(third.withComplete(true))).isTrue();

    List<Link> page1 = store.links().openLinks(J, 0, 3);
    List<Link> page2 = store.links().openLinks(J, page1.get(2).id(), 3);
    List<Link> page3 = store.links().openLinks(J, page2.get(page2.size() - 1).id(), 3);

    assertThat(page1).extracting(Link::id).containsExactly(ids.get(0), ids.get(1), ids.get(3));
    assertThat(page2).extracting(Link::id).containsExactly(ids.get(4), ids.get(5), ids.get(6));
    assertThat(page3).isEmpty();
    assertThatThrownBy(() -> page1.add(page1.get(0)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void linkCountsSplitOpenFromCompletePerJurisdiction() {
    for (int i = 0; i < 3; i++) {
      store.links().insertIfAbsentByOpen311Id(NewLink.forOpen311(J, "o-" + i));
    }
    store.links().insertIfAbsentByOpen311Id(NewLink.forOpen311("bristol", "o-x"));
    Link first = store.links().findByOpen311Id(J, "o-0").orElseThrow();
    assertThat(store.links().update(first.withComplete(true))).isTrue();

    assertThat(store.links().counts(J)).isEqualTo(new LinkCounts(2, 1));
    assertThat(store.links().counts("bristol")).isEqualTo(new LinkCounts(1, 0));
    assertThat(store.links().counts("nowhere")).isEqualTo(new LinkCounts(0, 0));
  }

  // ---- journal

  private NewJournalEntry entry(Side target, String updateId, Instant updated) {
    return new NewJournalEntry(J, target, updateId, 42, updated, "{\"id\":\"" + updateId + "\"}");
  }

  @Test
  void journalAppendIsIdempotentOnJurisdictionTargetAndUpdateId() {
    assertThat(store.journal().append(entry(Side.OPEN311, "u-1", T0))).isTrue();
    assertThat(store.journal().append(entry(Side.OPEN311, "u-1", T0.plusSeconds(5)))).isFalse();
    assertThat(store.journal().append(entry(Side.CRM, "u-1", T0))).isTrue();
    assertThat(store.journal().append(
        new NewJournalEntry("bristol", Side.OPEN311, "u-1", 1, T0, "{}"))).isTrue();

    List<JournalEntry> served = store.journal().window(J, Side.OPEN311, T0, T0.plusSeconds(60), 10);
    assertThat(served).singleElement().satisfies(e -> {
      assertThat(e.updated()).isEqualTo(T0);
      assertThat(e.linkId()).isEqualTo(42);
      assertThat(e.payload()).isEqualTo("{\"id\":\"u-1\"}");
      assertThat(e.delivered()).isFalse();
    });
  }

  @Test
  void journalWindowIsInclusiveAtBothEndsAndOrdersTiesBySeq() {
    Instant start = T0;
    Instant end = T0.plusSeconds(10);
    store.journal().append(entry(Side.OPEN311, "before", start.minusNanos(1000)));
    store.journal().append(entry(Side.OPEN311, "tie-b", start));
    store.journal().append(entry(Side.OPEN311, "end", end));
    store.journal().append(entry(Side.OPEN311, "tie-a", start));
    store.journal().append(entry(Side.OPEN311, "middle", start.plusSeconds(5)));
    store.journal().append(entry(Side.OPEN311, "after", end.plusNanos(1000)));
    store.journal().append(entry(Side.CRM, "other-side", start.plusSeconds(5)));

    List<JournalEntry> window = store.journal().window(J, Side.OPEN311, start, end, 100);

    assertThat(window).extracting(JournalEntry::updateId)
        .containsExactly("tie-b", "tie-a", "middle", "end");
    assertThat(window.get(0).seq()).isLessThan(window.get(1).seq());
    assertThat(store.journal().window(J, Side.OPEN311, start, end, 2))
        .extracting(JournalEntry::updateId).containsExactly("tie-b", "tie-a");
  }

  @Test
  void undeliveredEntriesAreListedBySeqUntilMarkedDelivered() {
    store.journal().append(entry(Side.CRM, "u-1", T0));
    store.journal().append(entry(Side.CRM, "u-2", T0.minusSeconds(60)));
    store.journal().append(entry(Side.CRM, "u-3", T0));
    store.journal().append(entry(Side.OPEN311, "u-4", T0));

    List<JournalEntry> all = store.journal().undelivered(Side.CRM, 0, 10);
    assertThat(all).extracting(JournalEntry::updateId).containsExactly("u-1", "u-2", "u-3");
    assertThat(store.journal().undelivered(Side.CRM, all.get(0).seq(), 1))
        .extracting(JournalEntry::updateId).containsExactly("u-2");

    assertThat(store.journal().markDelivered(all.get(1).seq())).isTrue();
    assertThat(store.journal().markDelivered(all.get(1).seq())).isFalse();
    assertThat(store.journal().undelivered(Side.CRM, 0, 10))
        .extracting(JournalEntry::updateId).containsExactly("u-1", "u-3");
    assertThat(store.journal().window(J, Side.CRM, T0.minusSeconds(60), T0.minusSeconds(60), 5))
        .singleElement().satisfies(e -> assertThat(e.delivered()).isTrue());
  }

  @Test
  void bySeqListsEveryJurisdictionAndSideAfterASeqInSeqOrder() {
    store.journal().append(entry(Side.OPEN311, "u-1", T0.plusSeconds(30)));
    store.journal().append(entry(Side.CRM, "u-2", T0));
    store.journal().append(new NewJournalEntry("bristol", Side.OPEN311, "u-3", 7, T0, "{}"));
    store.journal().append(entry(Side.OPEN311, "u-4", T0.minusSeconds(30)));

    List<JournalEntry> all = store.journal().bySeq(0, Long.MAX_VALUE, 10);

    assertThat(all).extracting(JournalEntry::updateId).containsExactly("u-1", "u-2", "u-3", "u-4");
    assertThat(all).extracting(JournalEntry::seq).isSorted().doesNotHaveDuplicates();
    assertThat(all.get(2).jurisdiction()).isEqualTo("bristol");
    assertThat(all.get(2).linkId()).isEqualTo(7);
    assertThat(store.journal().bySeq(all.get(0).seq(), Long.MAX_VALUE, 2))
        .extracting(JournalEntry::updateId).containsExactly("u-2", "u-3");
    assertThat(store.journal().bySeq(all.get(0).seq(), all.get(2).seq(), 10))
        .as("up to and including the last seq").extracting(JournalEntry::updateId)
        .containsExactly("u-2", "u-3");
    assertThat(store.journal().bySeq(all.get(3).seq(), Long.MAX_VALUE, 10)).isEmpty();
  }

  @Test
  void journalWindowOf50OutOf100000IsAnIndexRangeScan() throws Exception {
    // Many windows' worth of entries in several jurisdictions and both sides.
    try (Connection c = rawConnection()) {
      c.setAutoCommit(false);
      String sql = "INSERT INTO journal (jurisdiction, target_side, update_id, link_id,"
          + " updated_at, payload, delivered) VALUES (?, ?, ?, ?, ?, '{}', FALSE)";
      try (PreparedStatement insert = c.prepareStatement(sql)) {
        for (int i = 0; i < 100_000; i++) {
          insert.setString(1, i % 4 == 0 ? "bristol" : J);
          insert.setString(2, i % 2 == 0 ? "OPEN311" : "CRM");
          insert.setString(3, "u-" + i);
          insert.setLong(4, i);
          Columns.setInstant(insert, 5, T0.plusSeconds(i));
          insert.addBatch();
          if (i % 5_000 == 4_999) {
            insert.executeBatch();
          }
        }
      }
      c.commit();
      try (PreparedStatement analyze = c.prepareStatement("ANALYZE")) {
        analyze.execute();
      }
      c.commit();
    }
    Instant start = T0.plusSeconds(50_000);

    List<JournalEntry> window = store.journal().window(J, Side.CRM, start, start.plusSeconds(199), 50);

    // CRM entries of camden are the odd i: 100 of them in 200 s, the first 50 returned.
    assertThat(window).hasSize(50);
    assertThat(window.get(0).updateId()).isEqualTo("u-50001");
    assertThat(window.get(49).updateId()).isEqualTo("u-50099");
    try (Connection c = rawConnection();
         PreparedStatement explain = c.prepareStatement(explainPrefix() + JdbcJournal.WINDOW)) {
      explain.setString(1, J);
      explain.setString(2, "CRM");
      Columns.setInstant(explain, 3, start);
      Columns.setInstant(explain, 4, start.plusSeconds(199));
      explain.setInt(5, 50);
      StringBuilder plan = new StringBuilder();
      try (ResultSet rows = explain.executeQuery()) {
        while (rows.next()) {
          plan.append(rows.getString(1)).append('\n');
        }
      }
      System.out.println("journal window plan:\n" + plan);
      assertWindowPlanUsesIndex(plan.toString());
    }
  }

  // ---- outbox

  private long enqueue(String key) {
    assertThat(store.outbox().enqueue(NewWorkItem.now(J, "create-case", key, "{}"))).isTrue();
    return store.outbox().findByKey(J, key).orElseThrow().id();
  }

  @Test
  void enqueueNeverDuplicatesAKey() {
    long id = enqueue("k-1");

    assertThat(store.outbox().enqueue(NewWorkItem.now(J, "other", "k-1", "{\"x\":1}"))).isFalse();
    assertThat(store.outbox().enqueue(NewWorkItem.now("bristol", "create-case", "k-1", "{}")))
        .isTrue();
    OutboxItem item = store.outbox().find(id).orElseThrow();
    assertThat(item.kind()).isEqualTo("create-case");
    assertThat(item.payload()).isEqualTo("{}");
    assertThat(item.state()).isEqualTo(OutboxState.PENDING);
    assertThat(item.attempts()).isZero();
    assertThat(item.lastError()).isEmpty();
    assertThat(item.owner()).isEmpty();
    assertThat(store.outbox().counts(J).get(OutboxState.PENDING)).isEqualTo(1);
  }

  @Test
  void claimingForOneJurisdictionLeavesAnothersWorkAlone() {
    long ours = enqueue("ours");
    store.outbox().enqueue(NewWorkItem.now("elsewhere", "k", "theirs", "{}"));

    List<Claim> claimed = store.outbox().claim(J, "node-1", 10, T0, TTL);

    assertThat(claimed).extracting(c -> c.item().id()).containsExactly(ours);
    assertThat(store.outbox().findByKey("elsewhere", "theirs").orElseThrow().state())
        .isEqualTo(OutboxState.PENDING);
    assertThat(store.outbox().claim("elsewhere", "node-1", 10, T0, TTL))
        .extracting(c -> c.item().idempotencyKey()).containsExactly("theirs");
  }

  @Test
  void claimHandsOutDueItemsOnceAndLeavesFutureOnesAlone() {
    long a = enqueue("a");
    long b = enqueue("b");
    store.outbox().enqueue(new NewWorkItem(J, "k", "later", "{}", T0.plusSeconds(60)));

    List<Claim> first = store.outbox().claim("node-1", 10, T0, TTL);
    List<Claim> second = store.outbox().claim("node-2", 10, T0, TTL);

    assertThat(first).extracting(c -> c.item().id()).containsExactly(a, b);
    assertThat(first).allSatisfy(c -> {
      assertThat(c.claimedFrom()).isEqualTo(OutboxState.PENDING);
      assertThat(c.needsSettling()).isFalse();
      assertThat(c.item().state()).isEqualTo(OutboxState.IN_FLIGHT);
      assertThat(c.item().owner()).contains("node-1");
      assertThat(c.item().attempts()).isEqualTo(1);
      assertThat(c.item().claimedUntil()).contains(T0.plus(TTL));
    });
    assertThat(second).isEmpty();
    assertThat(store.outbox().claim("node-2", 10, T0.plusSeconds(60), TTL))
        .extracting(c -> c.item().idempotencyKey()).containsExactly("later");
  }

  @Test
  void anExpiredClaimBecomesUnknownAndIsClaimableForSettling() {
    long id = enqueue("k");
    store.outbox().claim("dead-node", 1, T0, TTL);

    assertThat(store.outbox().claim("node-2", 1, T0.plus(TTL).minusSeconds(1), TTL)).isEmpty();
    List<Claim> taken = store.outbox().claim("node-2", 1, T0.plus(TTL), TTL);

    assertThat(taken).singleElement().satisfies(c -> {
      assertThat(c.item().id()).isEqualTo(id);
      assertThat(c.claimedFrom()).isEqualTo(OutboxState.UNKNOWN);
      assertThat(c.needsSettling()).isTrue();
      assertThat(c.item().owner()).contains("node-2");
      assertThat(c.item().attempts()).isEqualTo(2);
    });
    // The dead node's late report is refused: node-2 owns the item now.
    assertThat(store.outbox().markDone(id, "dead-node")).isFalse();
    assertThat(store.outbox().markDone(id, "node-2")).isTrue();
    assertThat(store.outbox().find(id).orElseThrow().state()).isEqualTo(OutboxState.DONE);
    assertThat(store.outbox().claim("node-3", 1, T0.plus(TTL.multipliedBy(3)), TTL)).isEmpty();
  }

  @Test
  void anExpiredClaimCanStillBeFinishedByItsOwnerUntilSomeoneElseClaimsIt() {
    long slow = enqueue("slow");
    store.outbox().claim("slow-node", 1, T0, TTL);
    long other = enqueue("other");

    // node-2's pass expires "slow" (now UNKNOWN) but, with limit 1, takes the older "other".
    List<Claim> taken = store.outbox().claim("node-2", 1, T0.plus(TTL), TTL);

    assertThat(taken).extracting(c -> c.item().id()).containsExactly(other);
    OutboxItem expired = store.outbox().find(slow).orElseThrow();
    assertThat(expired.state()).isEqualTo(OutboxState.UNKNOWN);
    assertThat(expired.owner()).contains("slow-node");
    assertThat(expired.lastError()).contains("claim expired");
    assertThat(store.outbox().markDone(slow, "node-2")).isFalse();
    assertThat(store.outbox().markDone(slow, "slow-node")).isTrue();
    assertThat(store.outbox().find(slow).orElseThrow().state()).isEqualTo(OutboxState.DONE);
  }

  @Test
  void markUnknownRecordsTheErrorAndDefersTheNextAttempt() {
    long id = enqueue("k");
    store.outbox().claim("n", 1, T0, TTL);

    assertThat(store.outbox().markUnknown(id, "n", "read timeout", T0.plusSeconds(30))).isTrue();

    OutboxItem item = store.outbox().find(id).orElseThrow();
    assertThat(item.state()).isEqualTo(OutboxState.UNKNOWN);
    assertThat(item.lastError()).contains("read timeout");
    assertThat(item.nextAttempt()).isEqualTo(T0.plusSeconds(30));
    assertThat(item.claimedUntil()).isEmpty();
    assertThat(store.outbox().claim("n", 1, T0.plusSeconds(29), TTL)).isEmpty();
    assertThat(store.outbox().claim("n", 1, T0.plusSeconds(30), TTL))
        .singleElement().satisfies(c -> assertThat(c.needsSettling()).isTrue());
  }

  @Test
  void anItemGoesDeadAfterMaxAttemptsAndReplayMakesItPendingAgain() {
    long id = enqueue("k");
    Instant now = T0;
    for (int attempt = 1; attempt <= 3; attempt++) {
      assertThat(store.outbox().claim("n", 1, now, TTL)).as("attempt %s", attempt).hasSize(1);
      now = now.plusSeconds(10);
      assertThat(store.outbox().markFailed(id, "n", "HTTP 500 #" + attempt, now, 3)).isTrue();
      OutboxState expected = attempt < 3 ? OutboxState.PENDING : OutboxState.DEAD;
      assertThat(store.outbox().find(id).orElseThrow().state()).isEqualTo(expected);
    }
    assertThat(store.outbox().claim("n", 1, now.plusSeconds(3600), TTL)).isEmpty();
    assertThat(store.outbox().listDead(J)).singleElement().satisfies(item -> {
      assertThat(item.id()).isEqualTo(id);
      assertThat(item.attempts()).isEqualTo(3);
      assertThat(item.lastError()).contains("HTTP 500 #3");
    });
    assertThat(store.outbox().listDead("bristol")).isEmpty();

    clock.advance(Duration.ofHours(1));
    assertThat(store.outbox().replay(id)).isTrue();
    assertThat(store.outbox().replay(id)).isFalse();

    OutboxItem replayed = store.outbox().find(id).orElseThrow();
    assertThat(replayed.state()).isEqualTo(OutboxState.PENDING);
    assertThat(replayed.attempts()).isZero();
    assertThat(replayed.nextAttempt()).isEqualTo(clock.instant());
    assertThat(store.outbox().listDead(J)).isEmpty();
    assertThat(store.outbox().claim("n", 1, clock.instant(), TTL)).hasSize(1);
  }

  @Test
  void countsReportEveryStatePerJurisdiction() {
    long done = enqueue("done");
    enqueue("pending");
    store.outbox().claim("n", 1, T0, TTL);
    store.outbox().markDone(done, "n");
    store.outbox().enqueue(NewWorkItem.now("bristol", "k", "x", "{}"));

    assertThat(store.outbox().counts(J)).containsEntry(OutboxState.DONE, 1L)
        .containsEntry(OutboxState.PENDING, 1L).containsEntry(OutboxState.DEAD, 0L)
        .hasSize(OutboxState.values().length);
    assertThat(store.outbox().counts("nowhere")).containsEntry(OutboxState.PENDING, 0L)
        .hasSize(OutboxState.values().length);
    assertThat(store.outbox().counts()).containsOnlyKeys("bristol", J);
    assertThat(store.outbox().counts().get("bristol")).containsEntry(OutboxState.PENDING, 1L);
  }

  @Test
  void twoStoresClaimingConcurrentlyEachGetDistinctItems() throws Exception {
    int items = 1_000;
    store.runInTransaction(tx -> {
      for (int i = 0; i < items; i++) {
        tx.outbox().enqueue(NewWorkItem.now(J, "k", "item-" + i, "{}"));
      }
    });
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (SyncStore second = openSecond(clock)) {
      List<Callable<List<Long>>> workers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        SyncStore node = w % 2 == 0 ? store : second;
        String owner = "node-" + w;
        workers.add(() -> {
          List<Long> mine = new ArrayList<>();
          while (true) {
            List<Claim> claims = node.outbox().claim(owner, 7, T0, TTL);
            if (claims.isEmpty()) {
              return mine;
            }
            for (Claim claim : claims) {
              mine.add(claim.item().id());
              assertThat(node.outbox().markDone(claim.item().id(), owner)).isTrue();
            }
          }
        });
      }
      List<Long> all = new ArrayList<>();
      for (Future<List<Long>> result : pool.invokeAll(workers)) {
        all.addAll(result.get());
      }
      assertThat(all).hasSize(items).doesNotHaveDuplicates();
      assertThat(store.outbox().counts(J).get(OutboxState.DONE)).isEqualTo(items);
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- served requests

  @Test
  void unservedPagesByIdThroughOpen311LinksWithoutAServedRow() {
    long first = store.links().insertIfAbsentByOpen311Id(NewLink.forOpen311(J, "o-1")).link().id();
    long listed = store.links().insertIfAbsentByOpen311Id(NewLink.forOpen311(J, "o-2")).link().id();
    store.served().record(new ServedRequest(listed, J, T0, NONE, false, false, "{}"));
    store.links().insertIfAbsentByCrmId(NewLink.forCrm(J, "crm-only"));
    store.links().insertIfAbsentByOpen311Id(NewLink.forOpen311("islington", "o-3"));
    clock.advance(Duration.ofSeconds(1));
    long second = store.links().insertIfAbsentByOpen311Id(NewLink.forOpen311(J, "o-4")
        .withCrmId("c-4")).link().id();
    long third = store.links().insertIfAbsentByOpen311Id(NewLink.forOpen311(J, "o-5")).link().id();

    List<Link> page = store.served().unserved(J, 0, 2);
    assertThat(page).extracting(Link::id).containsExactly(first, second);
    assertThat(page.get(1).open311Id()).hasValue("o-4");
    assertThat(page.get(1).crmId()).hasValue("c-4");
    assertThat(page.get(1).created()).isEqualTo(T0.plusSeconds(1));
    assertThat(store.served().unserved(J, second, 2)).extracting(Link::id).containsExactly(third);
    assertThat(store.served().unserved(J, third, 2)).isEmpty();

    store.served().record(new ServedRequest(second, J, T0, NONE, false, false, "{}"));
    assertThat(store.served().unserved(J, 0, 10)).as("a row, however written, takes it out")
        .extracting(Link::id).containsExactly(first, third);
    assertThat(store.served().unserved("islington", 0, 10)).extracting(l -> l.open311Id().get())
        .containsExactly("o-3");
    assertThatThrownBy(() -> store.served().unserved(J, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- receipts

  @Test
  void aReceiptIsKeptOncePerJurisdictionAndKey() {
    assertThat(store.receipts().insertIfAbsent(J, "fms-1", "1717236000000",
        Optional.of("1"), "{\"a\":1}")).isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.receipts().insertIfAbsent(J, "fms-1", "0", NONE, "{\"a\":2}")).isFalse();
    assertThat(store.receipts().insertIfAbsent("islington", "fms-1", "0", NONE, "{}")).isTrue();

    Receipt kept = store.receipts().find(J, "fms-1").orElseThrow();
    assertThat(kept.payload()).as("the first payload stays").isEqualTo("{\"a\":1}");
    assertThat(kept.received()).isEqualTo(T0);
    assertThat(kept.jurisdiction()).isEqualTo(J);
    assertThat(kept.version()).isEqualTo("1717236000000");
    assertThat(kept.fixMyStreetId()).hasValue("1");
    assertThat(store.receipts().find("islington", "fms-1").orElseThrow().fixMyStreetId()).isEmpty();
    assertThat(store.receipts().find(J, "fms-2")).isEmpty();
  }

  @Test
  void oldestReceiptsComeInArrivalOrderPerJurisdictionAndDeleteOnce() {
    for (int i = 0; i < 5; i++) {
      store.receipts().insertIfAbsent(J, "k" + i, "0", NONE, "{}");
      store.receipts().insertIfAbsent("islington", "other" + i, "0", NONE, "{}");
    }

    List<Receipt> oldest = store.receipts().oldest(J, 3);
    assertThat(oldest).extracting(Receipt::key).containsExactly("k0", "k1", "k2");
    assertThat(store.receipts().delete(oldest.get(0).id())).isTrue();
    assertThat(store.receipts().delete(oldest.get(0).id())).as("already drained").isFalse();
    assertThat(store.receipts().oldest(J, 10)).extracting(Receipt::key)
        .containsExactly("k1", "k2", "k3", "k4");
    assertThat(store.receipts().find(J, "k0")).isEmpty();
    assertThat(store.receipts().insertIfAbsent(J, "k0", "0", NONE, "{}"))
        .as("a drained key is the link's to answer; the table itself forgets it").isTrue();
  }

  @Test
  void aReceiptInsertedInARolledBackTransactionIsGone() {
    assertThatThrownBy(() -> store.runInTransaction(tx -> {
      tx.receipts().insertIfAbsent(J, "fms-1", "0", NONE, "{}");
      throw new IllegalStateException("boom");
    })).hasMessage("boom");

    assertThat(store.receipts().find(J, "fms-1")).isEmpty();
  }

  // ---- cursors, leases, seen

  @Test
  void cursorIsCreatedThenReplacedWithTheStoreTime() {
    assertThat(store.cursors().get("crm")).isEmpty();
    store.cursors().put("crm", "{\"since\":1}");
    clock.advance(Duration.ofSeconds(90));
    store.cursors().put("crm", "{\"since\":2}");
    store.cursors().put("open311", "p1");

    assertThat(store.cursors().get("crm"))
        .contains(new StoredCursor("crm", "{\"since\":2}", T0.plusSeconds(90)));
    assertThat(store.cursors().get("open311").map(StoredCursor::value)).contains("p1");
  }

  @Test
  void leaseIsExclusiveUntilItExpiresThenTakenOver() {
    Duration ttl = Duration.ofSeconds(30);
    assertThat(store.leases().tryAcquire("crm", "a", T0, ttl)).isTrue();
    assertThat(store.leases().tryAcquire("crm", "b", T0.plusSeconds(29), ttl)).isFalse();
    assertThat(store.leases().tryAcquire("open311", "b", T0, ttl)).isTrue();
    // a renews at 20 s: valid until 50 s.
    assertThat(store.leases().tryAcquire("crm", "a", T0.plusSeconds(20), ttl)).isTrue();
    assertThat(store.leases().tryAcquire("crm", "b", T0.plusSeconds(49), ttl)).isFalse();
    assertThat(store.leases().tryAcquire("crm", "b", T0.plusSeconds(50), ttl)).isTrue();
    assertThat(store.leases().tryAcquire("crm", "a", T0.plusSeconds(51), ttl)).isFalse();

    assertThat(store.leases().release("crm", "a")).isFalse();
    assertThat(store.leases().release("crm", "b")).isTrue();
    assertThat(store.leases().tryAcquire("crm", "a", T0.plusSeconds(52), ttl)).isTrue();
  }

  @Test
  void seenKeysAreRecognisedPerSideAndPrunedByAge() {
    store.seen().record(J, Side.CRM, "u-1");
    clock.advance(Duration.ofHours(2));
    store.seen().record(J, Side.CRM, "u-2");
    store.seen().record(J, Side.OPEN311, "u-3");

    assertThat(store.seen().contains(J, Side.CRM, "u-1")).isTrue();
    assertThat(store.seen().contains(J, Side.OPEN311, "u-1")).isFalse();
    assertThat(store.seen().contains("bristol", Side.CRM, "u-1")).isFalse();

    assertThat(store.seen().pruneBefore(T0.plus(Duration.ofHours(1)))).isEqualTo(1);
    assertThat(store.seen().contains(J, Side.CRM, "u-1")).isFalse();
    assertThat(store.seen().contains(J, Side.CRM, "u-2")).isTrue();

    // Recording again refreshes the time, so the key survives a later prune.
    clock.advance(Duration.ofHours(2));
    store.seen().record(J, Side.CRM, "u-2");
    assertThat(store.seen().pruneBefore(clock.instant())).isEqualTo(1);
    assertThat(store.seen().contains(J, Side.CRM, "u-2")).isTrue();
    assertThat(store.seen().contains(J, Side.OPEN311, "u-3")).isFalse();
  }

  // ---- transactions, time

  @Test
  void aTransactionCommitsAllItsChangesTogether() {
    long id = enqueue("create");
    store.outbox().claim("n", 1, T0, TTL);

    Link link = store.inTransaction(tx -> {
      Link created = tx.links().insertIfAbsentByOpen311Id(
          NewLink.forOpen311(J, "o-1").withCrmId("c-1")).link();
      assertThat(tx.outbox().markDone(id, "n")).isTrue();
      tx.cursors().put("open311", "after-o-1");
      return created;
    });

    assertThat(store.links().find(link.id())).isPresent();
    assertThat(store.outbox().find(id).orElseThrow().state()).isEqualTo(OutboxState.DONE);
    assertThat(store.cursors().get("open311").map(StoredCursor::value)).contains("after-o-1");
  }

  @Test
  void aTransactionThatThrowsLeavesNothingBehind() {
    long id = enqueue("create");
    store.outbox().claim("n", 1, T0, TTL);

    assertThatThrownBy(() -> store.runInTransaction(tx -> {
      tx.links().insertIfAbsentByOpen311Id(NewLink.forOpen311(J, "o-1"));
      tx.outbox().markDone(id, "n");
      tx.cursors().put("open311", "after-o-1");
      throw new IllegalStateException("crash before commit");
    })).hasMessage("crash before commit");

    assertThat(store.links().findByOpen311Id(J, "o-1")).isEmpty();
    assertThat(store.outbox().find(id).orElseThrow().state()).isEqualTo(OutboxState.IN_FLIGHT);
    assertThat(store.cursors().get("open311")).isEmpty();
  }

  @Test
  void aTransactionWhoseFailedOperationWasSwallowedIsRolledBack() {
    store.links().insertIfAbsentByCrmId(NewLink.forCrm(J, "c-1").withOpen311Id("o-1"));

    assertThatThrownBy(() -> store.runInTransaction(tx -> {
      tx.cursors().put("crm", "x");
      try {
        tx.links().insertIfAbsentByOpen311Id(NewLink.forOpen311(J, "o-2").withCrmId("c-1"));
      } catch (SyncStoreException ignored) {
        // the engine should not do this; the store must not commit half a transaction
      }
    })).isInstanceOf(SyncStoreException.class).hasMessageContaining("rolled back");

    assertThat(store.cursors().get("crm")).isEmpty();
  }

  @Test
  void theTablesOfATransactionCannotBeUsedAfterIt() {
    SyncState leaked = store.inTransaction(tx -> tx);

    assertThatThrownBy(() -> leaked.cursors().get("crm"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("cursor.get");
  }

  @Test
  void instantsRoundTripInUtcAtMicrosecondPrecision() {
    Instant precise = Instant.parse("2025-06-30T23:59:59.123456789Z");
    store.journal().append(entry(Side.OPEN311, "u", precise));

    List<JournalEntry> read = store.journal().window(J, Side.OPEN311,
        Instant.parse("2025-06-30T23:59:59.123456Z"), Instant.parse("2025-06-30T23:59:59.123456Z"),
        5);

    assertThat(read).extracting(JournalEntry::updated)
        .containsExactly(Instant.parse("2025-06-30T23:59:59.123456Z"));
  }

  @Test
  void dataSurvivesClosingAndReopening() throws Exception {
    store.links().insertIfAbsentByOpen311Id(NewLink.forOpen311(J, "o-1"));
    store.close();
    store = openSecond(clock);

    assertThat(store.links().findByOpen311Id(J, "o-1")).isPresent();
    assertThat(store.links().insertIfAbsentByOpen311Id(NewLink.forOpen311(J, "o-1")).inserted())
        .isFalse();
  }
}
