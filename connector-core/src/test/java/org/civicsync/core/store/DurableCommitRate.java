package org.civicsync.core.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Harness, not a test: prints how many single-row durable commits per second an H2 file store
 * does on this machine, for each {@link H2Durability}. Run with the test classpath:
 * {@code java -cp ... org.civicsync.core.store.DurableCommitRate}.
 */
public final class DurableCommitRate {

  private DurableCommitRate() {
  }

  public static void main(String[] args) throws Exception {
    measure(H2Durability.PROCESS_CRASH, 5_000, 30_000);
    measure(H2Durability.POWER_LOSS, 200, 2_000);
  }

  private static void measure(H2Durability durability, int warmup, int count) throws Exception {
    Path dir = Files.createTempDirectory("commit-rate");
    try (SyncStore store = SyncStores.h2File(dir.resolve("rate"), durability,
        Clock.systemUTC())) {
      for (int i = 0; i < warmup; i++) {
        store.outbox().enqueue(NewWorkItem.now("rate", "warm", "w-" + i, "{}"));
      }
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        store.outbox().enqueue(NewWorkItem.now("rate", "test", "k-" + i, "{\"n\":" + i + "}"));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("%s: %d single-row commits in %.2f s = %.0f commits/s%n",
          durability, count, seconds, count / seconds);
    }
  }
}
