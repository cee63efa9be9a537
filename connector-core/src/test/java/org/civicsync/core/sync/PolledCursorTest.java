package org.civicsync.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.civicsync.core.crm.memory.InMemoryCrm;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.core.store.H2Durability;
import org.civicsync.core.store.StoredCursor;
import org.civicsync.core.store.SyncStore;
import org.civicsync.core.store.SyncStores;
import org.civicsync.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine records when a jurisdiction's feeds were last read without failing, also when
 * nothing was new (a quiet endpoint moves no feed cursor), and not when a read failed.
 */
class PolledCursorTest {
  @TempDir
  Path dir;

  final MutableClock clock = MutableClock.at("2024-05-01T09:00:00Z");
  SyncStore store;

  @AfterEach
  void tearDown() {
    store.close();
  }

  @Test
  void aQuietPassIsRecordedAsPolledAndAFailedReadIsNot() {
    FakeOpen311 open311 = new FakeOpen311(clock);
    InMemoryCrm crm = InMemoryCrm.builder().name("memory").clock(clock)
        .closedStatusCodes(Set.of("CLOSED", "FIXED")).closingStatusCode("CLOSED").build();
    store = SyncStores.h2File(dir.resolve("sync"), H2Durability.PROCESS_CRASH, clock);
    SyncEngine engine = SyncEngine.builder(store).clock(clock).owner("node-a")
        .jurisdiction(new Jurisdiction("bristol", open311, crm, PollSyncTest.mapping(false),
            SyncSettings.ofDefaults(Instant.parse("2024-05-01T00:00:00Z"))))
        .build();
    open311.report("POT", "fms-1");
    clock.advance(Duration.ofMinutes(1));
    engine.runOnce("bristol");
    Instant requestsRead = store.cursors().get("open311-requests:bristol").orElseThrow().updated();

    clock.advance(Duration.ofMinutes(10));
    engine.runOnce("bristol"); // nothing new anywhere

    StoredCursor polled = store.cursors().get(SyncEngine.polledCursor("bristol")).orElseThrow();
    assertThat(polled.updated()).isEqualTo(clock.instant());
    assertThat(store.cursors().get("open311-requests:bristol").orElseThrow().updated())
        .as("the feed's own cursor did not move").isEqualTo(requestsRead);

    clock.advance(Duration.ofMinutes(10));
    crm.faults().failNext(CrmOperation.LIST_CHANGES, 1, CrmException.Kind.TRANSIENT);
    engine.runOnce("bristol");

    assertThat(store.cursors().get(SyncEngine.polledCursor("bristol")).orElseThrow().updated())
        .as("a pass whose CRM read failed is not a successful poll").isEqualTo(polled.updated());
  }
}
