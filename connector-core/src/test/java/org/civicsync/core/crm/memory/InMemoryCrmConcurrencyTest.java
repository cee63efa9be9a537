package org.civicsync.core.crm.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.civicsync.core.crm.memory.InMemoryCrmTest.newCase;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.civicsync.core.spi.CaseUpdate;
import org.civicsync.core.spi.CrmChange;
import org.civicsync.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

class InMemoryCrmConcurrencyTest {
  private static final int THREADS = 8;

  private final InMemoryCrm crm =
      InMemoryCrm.builder().clock(MutableClock.at("2024-05-01T09:00:00Z")).build();

  private <T> List<T> runTogether(Callable<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        futures.add(pool.submit(() -> {
          start.await();
          return task.call();
        }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentCreatesWithOneIdempotencyKeyMakeOneCase() throws Exception {
    List<String> ids = runTogether(() -> crm.create(newCase("fms-1", "req-1")).caseId());

    assertThat(new HashSet<>(ids)).hasSize(1);
    assertThat(crm.createCount("req-1")).isEqualTo(1);
  }

  @Test
  void concurrentUpdatesEachGetTheirOwnVersionAndFeedEntry() throws Exception {
    String caseId = crm.create(newCase("fms-1", "req-1")).caseId();
    int perThread = 50;

    runTogether(() -> {
      for (int i = 0; i < perThread; i++) {
        crm.apply(CaseUpdate.note(caseId, Thread.currentThread().getName() + "-" + i, "n"));
      }
      return null;
    });

    int expectedVersion = 1 + THREADS * perThread;
    assertThat(crm.find(caseId).orElseThrow().version()).isEqualTo(expectedVersion);
    List<CrmChange> feed = crm.changesSince(crm.beginning(), 10_000).changes();
    Set<Long> versions = new HashSet<>();
    feed.forEach(c -> versions.add(c.version()));
    assertThat(versions).hasSize(expectedVersion);
    assertThat(feed).extracting(CrmChange::version).isSorted();
  }
}
