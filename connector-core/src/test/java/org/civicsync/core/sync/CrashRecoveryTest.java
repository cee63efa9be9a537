package org.civicsync.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.civicsync.core.crm.memory.InMemoryCrm;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.model.Status;
import org.civicsync.core.spi.AppliedUpdate;
import org.civicsync.core.spi.CaseCreation;
import org.civicsync.core.spi.CaseLookup;
import org.civicsync.core.spi.CaseUpdate;
import org.civicsync.core.spi.CaseUpdates;
import org.civicsync.core.spi.ChangeCursor;
import org.civicsync.core.spi.ChangeFeed;
import org.civicsync.core.spi.ChangePage;
import org.civicsync.core.spi.CreatedCase;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmCase;
import org.civicsync.core.spi.NewCase;
import org.civicsync.core.store.H2Durability;
import org.civicsync.core.store.Link;
import org.civicsync.core.store.SyncStore;
import org.civicsync.core.store.SyncStores;
import org.civicsync.core.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The process dies right after a remote call succeeded and before the store recorded it; a new
 * process on the same store file finishes the work. Nothing is lost and nothing is done twice.
 */
class CrashRecoveryTest {
  static final String J = PollSyncTest.J;

  enum CrashPoint { AFTER_CRM_CREATE, AFTER_CRM_UPDATE, AFTER_OPEN311_POST }

  /** Stands for the death of the process: not an exception anything in the engine catches. */
  static final class SimulatedCrash extends Error {
    SimulatedCrash(String where) {
      super("simulated crash " + where);
    }
  }

  @TempDir
  Path dir;

  final MutableClock clock = MutableClock.at("2024-05-01T09:00:00Z");
  final AtomicReference<CrashPoint> armed = new AtomicReference<>();
  // An endpoint whose updates feed also lists what was posted to it: our own updates come back.
  final FakeOpen311 fake = new FakeOpen311(clock).echoPostedUpdates();
  // Without upsert: only the engine's find-by-external-reference can prevent a duplicate case.
  final InMemoryCrm crm = InMemoryCrm.builder().clock(clock).honourIdempotencyKeys(false)
      .closedStatusCodes(java.util.Set.of("CLOSED", "FIXED")).closingStatusCode("CLOSED").build();

  void crashIf(CrashPoint point) {
    if (armed.compareAndSet(point, null)) {
      throw new SimulatedCrash(point.name());
    }
  }

  /** The CRM, with a crash wired in after each successful call. */
  final class CrashingCrm implements CrmAdapter, CaseCreation, CaseLookup, ChangeFeed, CaseUpdates {
    @Override public String name() { return crm.name(); }
    @Override public CreatedCase create(NewCase newCase) {
      CreatedCase created = crm.create(newCase);
      crashIf(CrashPoint.AFTER_CRM_CREATE);
      return created;
    }
    @Override public Optional<CrmCase> findByExternalReference(String ref) { return crm.findByExternalReference(ref); }
    @Override public ChangePage changesSince(ChangeCursor cursor, int limit) { return crm.changesSince(cursor, limit); }
    @Override public ChangeCursor cursorAt(Instant time) { return crm.cursorAt(time); }
    @Override public AppliedUpdate apply(CaseUpdate update) {
      AppliedUpdate applied = crm.apply(update);
      crashIf(CrashPoint.AFTER_CRM_UPDATE);
      return applied;
    }
  }

  /** The Open311 endpoint, with a crash after a successful POST. */
  final class CrashingOpen311 implements Open311Side {
    @Override public java.util.List<org.civicsync.core.model.Report> requestsBetween(java.time.OffsetDateTime s, java.time.OffsetDateTime e) { return fake.requestsBetween(s, e); }
    @Override public java.util.List<org.civicsync.core.model.Report> requestsById(java.util.List<String> ids) { return fake.requestsById(ids); }
    @Override public Optional<java.util.List<ReportUpdate>> updatesBetween(java.time.OffsetDateTime s, java.time.OffsetDateTime e) { return fake.updatesBetween(s, e); }
    @Override public boolean acceptsUpdates() { return true; }
    @Override public String postUpdate(ReportUpdate update) {
      String id = fake.postUpdate(update);
      crashIf(CrashPoint.AFTER_OPEN311_POST);
      return id;
    }
  }

  SyncStore store;

  SyncEngine start(String owner) {
    store = SyncStores.h2File(dir.resolve("sync"), H2Durability.PROCESS_CRASH, clock);
    return SyncEngine.builder(store).clock(clock).owner(owner)
        .jurisdiction(new Jurisdiction(J, new CrashingOpen311(), new CrashingCrm(),
            PollSyncTest.mapping(true),
            SyncSettings.ofDefaults(Instant.parse("2024-05-01T00:00:00Z")).withClaimTtl(Duration.ofMinutes(5))))
        .build();
  }

  /** Runs a pass that dies; the store is closed as the dying process would leave it. */
  void passThatCrashes(SyncEngine engine) {
    clock.advance(Duration.ofMinutes(1));
    assertThatThrownBy(() -> engine.runOnce(J)).isInstanceOf(SimulatedCrash.class);
    store.close();
  }

  void passes(SyncEngine engine, int n) {
    for (int i = 0; i < n; i++) {
      clock.advance(Duration.ofMinutes(6));
      engine.runOnce(J);
    }
  }

  @ParameterizedTest
  @EnumSource(CrashPoint.class)
  void aCrashAfterAnyRemoteCallLosesNothingAndDuplicatesNothing(CrashPoint point) {
    String a = fake.report("POT", "9001");
    String b = fake.report("POT", "9002");
    SyncEngine first = start("node-1");
    if (point == CrashPoint.AFTER_CRM_CREATE) {
      armed.set(point);
      passThatCrashes(first);
    } else {
      passes(first, 1);
      String caseA = store.links().findByOpen311Id(J, a).flatMap(Link::crmId).orElseThrow();
      if (point == CrashPoint.AFTER_CRM_UPDATE) {
        fake.citizenUpdate(a, "fms-c1", Status.UNCHANGED, "still there");
      } else {
        crm.officer().addNote(caseA, "Filled in today");
        crm.officer().close(caseA, "FIXED");
      }
      armed.set(point);
      passThatCrashes(first);
    }

    SyncEngine second = start("node-2");
    // First a pass while the dead node's claim still holds (5 min) but its lease (2 min) has lapsed:
    // the feeds are read before the interrupted work can be taken up.
    clock.advance(Duration.ofMinutes(3));
    second.runOnce(J);
    passes(second, 3);

    assertThat(crm.createCount(a)).isEqualTo(1);
    assertThat(crm.createCount(b)).isEqualTo(1);
    String caseA = store.links().findByOpen311Id(J, a).flatMap(Link::crmId).orElseThrow();
    assertThat(store.links().findByOpen311Id(J, b).flatMap(Link::crmId)).isPresent();
    if (point == CrashPoint.AFTER_CRM_UPDATE) {
      assertThat(crm.notes(caseA)).extracting(n -> n.text()).containsExactly("still there");
    }
    if (point == CrashPoint.AFTER_OPEN311_POST) {
      assertThat(fake.received()).hasSize(2);
      assertThat(crm.notes(caseA)).extracting(n -> n.text())
          .as("our own note, read back from the feed after the crash, is not sent to the CRM")
          .containsExactly("Filled in today");
      assertThat(fake.request(a).status()).contains(Status.FIXED);
      assertThat(store.links().findByOpen311Id(J, a).orElseThrow().complete()).isTrue();
    }
    assertThat(store.outbox().listDead(J)).isEmpty();
    store.close();
  }

  @Test
  void aCrashAfterCreateIsSettledByFindingTheCase() {
    String a = fake.report("POT", "9001");
    armed.set(CrashPoint.AFTER_CRM_CREATE);
    passThatCrashes(start("node-1"));

    passes(start("node-2"), 2);

    assertThat(crm.createCount(a)).isEqualTo(1);
    assertThat(crm.calls(org.civicsync.core.spi.CrmOperation.FIND_CASE)).isGreaterThanOrEqualTo(1);
    store.close();
  }
}
