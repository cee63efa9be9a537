package org.civicsync.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupCommitTest {
  @TempDir Path dir;
  private SyncStore store;
  private GroupCommit<SyncState> group;
  private ExecutorService callers;

  @BeforeEach
  void open() {
    store = SyncStores.h2File(dir.resolve("g"), H2Durability.PROCESS_CRASH, Clock.systemUTC());
    group = new GroupCommit<>(store::inTransaction, Duration.ofNanos(200_000));
    callers = Executors.newFixedThreadPool(8);
  }

  @AfterEach
  void close() {
    callers.shutdownNow();
    store.close();
  }

  @Test
  void callersQueuedDuringACommitShareTheNextOneAndSeeEachOthersWrites() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    Future<Boolean> leader = callers.submit(() -> group.run(tx -> {
      entered.countDown();
      await(release);
      return tx.outbox().enqueue(item("lead"));
    }));
    await(entered); // the leader took its unit and holds the commit
    Future<Boolean> first = callers.submit(() -> group.run(tx -> tx.outbox().enqueue(item("a"))));
    awaitQueued(1);
    Future<Boolean> resend = callers.submit(() -> group.run(tx -> tx.outbox().enqueue(item("a"))));
    Future<Boolean> other = callers.submit(() -> group.run(tx -> tx.outbox().enqueue(item("b"))));
    awaitQueued(3);
    release.countDown();

    assertThat(leader.get()).isTrue();
    assertThat(first.get()).isTrue();
    assertThat(resend.get()).as("same key in the same batch finds the first").isFalse();
    assertThat(other.get()).isTrue();
    assertThat(group.units()).isEqualTo(4);
    assertThat(group.commits()).as("leader's commit + one shared by the three").isEqualTo(2);
    assertThat(store.outbox().findByKey("j", "a")).isPresent();
    assertThat(store.outbox().findByKey("j", "b")).isPresent();
  }

  @Test
  void aFailingUnitFailsOnlyItsCallerAndTheOthersAreStillCommitted() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    Future<Boolean> leader = callers.submit(() -> group.run(tx -> {
      entered.countDown();
      await(release);
      return tx.outbox().enqueue(item("lead"));
    }));
    await(entered);
    Future<Boolean> good = callers.submit(() -> group.run(tx -> tx.outbox().enqueue(item("ok"))));
    awaitQueued(1);
    Future<Boolean> bad = callers.submit(() -> group.run(tx -> {
      tx.outbox().enqueue(item("doomed"));
      throw new IllegalStateException("boom");
    }));
    awaitQueued(2);
    release.countDown();

    assertThat(leader.get()).isTrue();
    assertThat(good.get()).isTrue();
    assertThatThrownBy(bad::get).hasCauseInstanceOf(IllegalStateException.class)
        .hasRootCauseMessage("boom");
    assertThat(store.outbox().findByKey("j", "ok")).isPresent();
    assertThat(store.outbox().findByKey("j", "doomed")).as("rolled back").isEmpty();
  }

  @Test
  void manyConcurrentCallersAllCommittedInFewerCommitsThanUnits() throws Exception {
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < 1600; i++) {
      String key = "k" + i;
      results.add(callers.submit(() -> group.run(tx -> tx.outbox().enqueue(item(key)))));
    }
    for (Future<Boolean> r : results) {
      assertThat(r.get()).isTrue();
    }
    for (int i = 0; i < 1600; i++) {
      assertThat(store.outbox().findByKey("j", "k" + i)).as("k" + i).isPresent();
    }
    assertThat(group.units()).isEqualTo(1600);
    assertThat(group.commits()).isLessThan(1600);
  }

  private static NewWorkItem item(String key) {
    return NewWorkItem.now("j", "test", key, "{}");
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Polls (bounded) until exactly {@code n} units wait and one commit is under way. */
  private void awaitQueued(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (group.queued() != n || group.units() != 0) {
      assertThat(System.nanoTime()).as("queued " + group.queued()).isLessThan(deadline);
      Thread.sleep(5);
    }
  }
}
