package org.civicsync.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.civicsync.core.crm.memory.InMemoryCrm;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.model.Status;
import org.civicsync.core.store.Link;
import org.civicsync.core.store.SyncStore;
import org.civicsync.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serve mode's queued intake: a report is kept as a receipt, answered, and drained into its link
 * and "create the case" work later, on an H2 file store. Run once per {@link Intake}: the receipt
 * log ({@link ServeModeReceiptLogTest}) and the receipt table ({@link ServeModeReceiptTableTest}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class ServeModeReceiptContract {
  static final String J = "council.example";

  @TempDir Path dir;
  final MutableClock clock = MutableClock.at("2024-05-01T09:00:00Z");
  private final InMemoryCrm crm = InMemoryCrm.builder().name("memory").clock(clock)
      .closedStatusCodes(Set.of("CLOSED", "FIXED")).closingStatusCode("CLOSED").build();
  SyncStore store;
  ServeMode serve;

  /** The H2 file store at {@code path}, as the intake under test sees it. */
  abstract SyncStore open(Path path);

  @BeforeEach
  void open() {
    store = open(dir.resolve("serve"));
    serve = serveMode(store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aQueuedReportIsAReceiptUntilDrainedAndResendsCreateNothingBeforeOrAfter() {
    ServeMode.Received first = serve.receive(J, "fms-1", report("1"), false);
    assertThat(first.isNew()).isTrue();
    assertThat(first.link()).as("no link before the drain").isEmpty();
    assertThat(store.links().findByOpen311Id(J, "fms-1")).isEmpty();

    ServeMode.Received undrainedResend = serve.receive(J, "fms-1", report("1"), false);
    assertThat(undrainedResend.isNew()).isFalse();
    assertThat(serve.pendingUpTo(J, 10)).isEqualTo(1);

    assertThat(serve.drain(J)).isEqualTo(1);
    assertThat(serve.drain(J)).as("nothing left").isZero();
    assertThat(serve.pendingUpTo(J, 10)).isZero();
    Link link = store.links().findByOpen311Id(J, "fms-1").orElseThrow();
    assertThat(link.fixMyStreetId()).hasValue("1");
    Report keyed = report("1").toBuilder().id("fms-1").build();
    assertThat(store.outbox().findByKey(J, "create:fms-1").orElseThrow().payload())
        .as("the drainer wraps the receipt's text; it must read as what the engine writes")
        .isEqualTo(Payloads.write(new Work.CreateCase(link.id(), keyed)));
    assertThat(link.open311().version()).hasValue(Versions.of(keyed));
    assertThat(store.served().find(link.id())).as("listed by GET requests once drained")
        .hasValueSatisfying(row -> assertThat(row.serviceCode()).isEqualTo(keyed.serviceCode()));

    ServeMode.Received drainedResend = serve.receive(J, "fms-1", report("1"), false);
    assertThat(drainedResend.isNew()).isFalse();
    assertThat(drainedResend.link()).hasValue(link);
    assertThat(serve.pendingUpTo(J, 10)).as("a resend after the drain keeps nothing").isZero();
    assertThat(serve.receivedReport(link).orElseThrow().description())
        .hasValue("Pothole outside number 1");
  }

  @Test
  void receiptsLeftByACrashAreDrainedAndTheirCasesCreatedAfterARestart() {
    for (int i = 0; i < 1_203; i++) {
      serve.receive(J, "fms-" + i, report(Integer.toString(i)), false);
    }
    // The process dies here: receipts committed, nothing drained. A new process opens the file.
    store.close();
    store = open(dir.resolve("serve"));
    serve = serveMode(store);

    PassResult pass = serve.work(J);

    assertThat(pass.linksCreated()).isEqualTo(1_203);
    assertThat(serve.pendingUpTo(J, 10)).isZero();
    assertThat(store.links().counts(J).open()).isEqualTo(1_203);
    assertThat(crm.cases()).hasSize(1_203);
    assertThat(store.links().findByOpen311Id(J, "fms-1202").orElseThrow().crmId()).isPresent();
    assertThat(serve.receive(J, "fms-7", report("7"), false).isNew()).isFalse();
    assertThat(serve.work(J).linksCreated()).isZero();
    assertThat(crm.cases()).hasSize(1_203);
  }

  @Test
  void anUpdateAgainstAnUndrainedReportDrainsItAndIsRecorded() {
    serve.receive(J, "fms-1", report("1"), false);

    Optional<Link> recorded = serve.receiveUpdate(J, ReportUpdate.builder()
        .serviceRequestId("fms-1").updateId("u-1").status(Status.OPEN)
        .description("Still there, and deeper").updated(at("2024-05-01T09:05:00Z")).build());

    assertThat(recorded).isPresent();
    assertThat(recorded.get().open311Id()).hasValue("fms-1");
    assertThat(serve.pendingUpTo(J, 10)).isZero();
    assertThat(store.outbox().findByKey(J, "create:fms-1")).isPresent();
    assertThat(store.outbox().findByKey(J, "o311u-u-1")).isPresent();
    assertThat(serve.drain(J)).isZero();

    serve.work(J);
    // The update may come up before its case is created; it is then retried after a back-off.
    clock.advance(java.time.Duration.ofMinutes(1));
    serve.work(J);
    String caseId = store.links().find(recorded.get().id()).orElseThrow().crmId().orElseThrow();
    assertThat(crm.notes(caseId)).extracting(n -> n.text()).contains("Still there, and deeper");
  }

  @Test
  void aTokenLookupDrainsItsReceipt() {
    serve.receive(J, "fms-1", report("1"), false);

    Link link = serve.findByKey(J, "fms-1").orElseThrow();

    assertThat(link.open311Id()).hasValue("fms-1");
    assertThat(serve.pendingUpTo(J, 10)).isZero();
    assertThat(serve.findByKey(J, "fms-2")).isEmpty();
  }

  @Test
  void realtimeTakesOverAQueuedReceiptAndCreatesTheCaseOnce() {
    serve.receive(J, "fms-1", report("1"), false);

    ServeMode.Received realtime = serve.receive(J, "fms-1", report("1"), true);

    assertThat(realtime.crmId()).isPresent();
    assertThat(serve.pendingUpTo(J, 10)).isZero();
    assertThat(serve.drain(J)).isZero();
    serve.work(J);
    assertThat(crm.cases()).hasSize(1);
    assertThat(serve.receive(J, "fms-1", report("1"), true).crmId()).isEqualTo(realtime.crmId());
  }

  @Test
  void resendsRacingTheDrainerMakeOneLinkAndOneCase() throws Exception {
    int reports = 300;
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        tasks.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < reports; i++) {
            serve.receive(J, "fms-" + i, report(Integer.toString(i)), false);
          }
          return null;
        }));
      }
      tasks.add(pool.submit(() -> {
        go.await();
        for (int round = 0; round < 50; round++) {
          serve.drain(J);
        }
        return null;
      }));
      go.countDown();
      for (Future<?> task : tasks) {
        task.get(50, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    serve.work(J);

    assertThat(serve.pendingUpTo(J, 10)).isZero();
    assertThat(store.links().counts(J).open()).isEqualTo(reports);
    assertThat(crm.cases()).hasSize(reports);
    for (int i = 0; i < reports; i += 37) {
      assertThat(crm.createCount("fms-" + i)).as("fms-" + i).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void aResendAfterADrainAndARestartIsAnsweredFromItsLink() {
    serve.receive(J, "fms-1", report("1"), false);
    serve.work(J);
    store.close();
    store = open(dir.resolve("serve"));
    serve = serveMode(store);

    ServeMode.Received resend = serve.receive(J, "fms-1", report("1"), false);

    assertThat(resend.isNew()).isFalse();
    assertThat(resend.crmId()).isPresent();
    assertThat(serve.pendingUpTo(J, 10)).isZero();
    assertThat(serve.receive(J, "fms-2", report("2"), false).isNew()).isTrue();
  }

  ServeMode serveMode(SyncStore on) {
    return PotholeServe.on(on, clock, crm, J);
  }

  static Report report(String fmsId) {
    return Report.builder().serviceCode("POT").description("Pothole outside number " + fmsId)
        .attribute("fixmystreet_id", fmsId).build();
  }

  private static OffsetDateTime at(String instant) {
    return OffsetDateTime.ofInstant(Instant.parse(instant), ZoneOffset.UTC);
  }
}
