package org.civicsync.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.civicsync.core.crm.memory.InMemoryCrm;
import org.civicsync.core.store.H2Durability;
import org.civicsync.core.store.SyncStore;
import org.civicsync.core.store.SyncStores;
import org.civicsync.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backfill tells {@link PassProgress} how it is getting on, page by page and batch by batch. */
class PassProgressTest {
  @TempDir
  Path dir;

  final MutableClock clock = MutableClock.at("2024-05-01T09:00:00Z");
  FakeOpen311 open311;
  InMemoryCrm crm;
  SyncStore store;

  @BeforeEach
  void setUp() {
    open311 = new FakeOpen311(clock);
    crm = InMemoryCrm.builder().name("memory").clock(clock)
        .closedStatusCodes(Set.of("CLOSED", "FIXED")).closingStatusCode("CLOSED").build();
    store = SyncStores.h2File(dir.resolve("sync"), H2Durability.PROCESS_CRASH, clock);
    for (int i = 0; i < 250; i++) {
      open311.report("POT", "fms-" + i);
    }
    clock.advance(Duration.ofMinutes(1));
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  SyncEngine engine(PassProgress progress, java.time.Clock engineClock) {
    // Pages of 100 requests, outbox batches of 50: a backfill of 250 has several steps.
    SyncSettings settings = new SyncSettings(Instant.parse("2024-05-01T00:00:00Z"),
        Duration.ofMinutes(10), 100, 50, 8, Duration.ofSeconds(30), Duration.ofMinutes(5));
    return SyncEngine.builder(store).clock(engineClock).owner("node-a").progress(progress)
        .jurisdiction(new Jurisdiction("bristol", open311, crm, PollSyncTest.mapping(false), settings))
        .build();
  }

  /** A clock one second later each time it is read: time passes as the pass works. */
  static final class TickingClock extends java.time.Clock {
    Instant now = Instant.parse("2024-05-01T09:01:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public synchronized Instant instant() {
      now = now.plusSeconds(1);
      return now;
    }
  }

  @Test
  void aPassShorterThanTheIntervalReportsNothing() {
    List<PassResult> seen = new ArrayList<>();
    PassResult result = engine(new PassProgress(Duration.ofHours(1), (soFar, time) -> seen.add(soFar)),
        clock).runOnce("bristol");

    assertThat(result.casesCreated()).isEqualTo(250);
    assertThat(seen).isEmpty();
  }

  @Test
  void aBackfillReportsItsCountsAfterEachPageAndBatch() {
    List<PassResult> seen = new ArrayList<>();
    PassResult result = engine(new PassProgress(Duration.ZERO, (soFar, time) -> seen.add(soFar)),
        clock).runOnce("bristol");

    assertThat(result.casesCreated()).isEqualTo(250);
    assertThat(seen.stream().map(PassResult::linksCreated).distinct())
        .as("after each page of intake").containsSubsequence(100, 200, 250);
    assertThat(seen.stream().map(PassResult::casesCreated).distinct())
        .as("after each batch of outbox work").containsSubsequence(0, 50, 100, 150, 200, 250);
    assertThat(seen).allSatisfy(r -> assertThat(r.jurisdiction()).isEqualTo("bristol"));
    assertThat(seen.get(seen.size() - 1).casesCreated()).isEqualTo(250);
  }

  @Test
  void progressComesAtMostOncePerIntervalWithTheTimeElapsed() {
    List<PassResult> every = new ArrayList<>();
    engine(new PassProgress(Duration.ZERO, (soFar, time) -> every.add(soFar)), new TickingClock())
        .runOnce("bristol");
    store.close();
    store = SyncStores.h2File(dir.resolve("again"), H2Durability.PROCESS_CRASH, clock);
    List<Duration> elapsed = new ArrayList<>();
    engine(new PassProgress(Duration.ofSeconds(10), (soFar, time) -> elapsed.add(time)),
        new TickingClock()).runOnce("bristol");

    assertThat(elapsed).isNotEmpty().hasSizeLessThan(every.size()).isSorted();
    assertThat(elapsed.get(0)).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
    for (int i = 1; i < elapsed.size(); i++) {
      assertThat(elapsed.get(i).minus(elapsed.get(i - 1))).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
    }
  }

  @Test
  void aListenerThatThrowsDoesNotStopThePass() {
    PassResult result = engine(new PassProgress(Duration.ZERO, (soFar, time) -> {
      throw new IllegalStateException("listener broke");
    }), clock).runOnce("bristol");

    assertThat(result.casesCreated()).isEqualTo(250);
    assertThat(result.workFailed()).isZero();
  }
}
