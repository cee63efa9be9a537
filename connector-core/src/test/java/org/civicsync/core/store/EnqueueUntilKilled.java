package org.civicsync.core.store;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Child process for {@link H2CrashDurabilityTest}: enqueues work items one by one into an H2 file
 * store and prints {@code ACK <key>} only after each enqueue (a committed transaction) returned,
 * exactly as the engine acknowledges only what the store kept. Runs until it is killed.
 */
public final class EnqueueUntilKilled {

  private EnqueueUntilKilled() {
  }

  public static void main(String[] args) {
    SyncStore store = SyncStores.h2File(Path.of(args[0]), H2Durability.PROCESS_CRASH,
        Clock.systemUTC());
    System.out.println("READY");
    System.out.flush();
    for (long i = 0; ; i++) {
      String key = "key-" + i;
      if (!store.outbox().enqueue(NewWorkItem.now("crash", "test", key, "{}"))) {
        throw new IllegalStateException("duplicate " + key);
      }
      System.out.println("ACK " + key);
      System.out.flush();
    }
  }
}
