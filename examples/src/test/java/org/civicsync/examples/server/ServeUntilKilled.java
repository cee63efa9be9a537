package org.civicsync.examples.server;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.civicsync.core.crm.memory.InMemoryCrm;
import org.civicsync.core.store.H2Durability;
import org.civicsync.core.store.SyncStore;
import org.civicsync.core.store.SyncStores;
import org.civicsync.open311.server.Open311Server;
import org.civicsync.open311.server.ServedJurisdiction;

/**
 * Child process for {@link ServeKillMinus9Test}: the sample server on a free loopback port with an
 * H2 file store at {@code args[0]}, in mode {@code args[1]}, api key from
 * {@code CIVICSYNC_API_KEY}. Prints {@code READY <port>} once it listens; runs until killed, with
 * the drainer turning queued receipts into links every 5 ms (so a kill finds both).
 */
public final class ServeUntilKilled {
  private ServeUntilKilled() {}

  public static void main(String[] args) throws Exception {
    Clock clock = Clock.systemUTC();
    SyncStore store = SyncStores.h2File(Path.of(args[0]), H2Durability.PROCESS_CRASH, clock);
    InMemoryCrm crm = ServeExample.crm(clock);
    Open311Server server = ServeExample.server(store, clock, crm,
        System.getenv("CIVICSYNC_API_KEY"), ServedJurisdiction.Mode.valueOf(args[1]));
    JettyOpen311Host host = JettyOpen311Host.start(server, "127.0.0.1", 0, "/open311/v2/");
    ScheduledExecutorService pump = Executors.newSingleThreadScheduledExecutor();
    pump.scheduleWithFixedDelay(() -> server.serveMode().drain(ServeExample.JURISDICTION),
        5, 5, TimeUnit.MILLISECONDS);
    System.out.println("READY " + host.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
