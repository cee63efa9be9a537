package org.civicsync.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import org.civicsync.core.crm.memory.InMemoryCrm;
import org.civicsync.core.mapping.JurisdictionMapping;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.model.Status;
import org.civicsync.core.spi.CrmCase;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.core.store.Link;
import org.civicsync.core.store.OutboxState;
import org.civicsync.core.store.SyncStore;
import org.civicsync.core.store.SyncStores;
import org.civicsync.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Poll mode end to end: an Open311 endpoint, the engine with its H2 file store, a CRM. */
class PollSyncTest {
  static final String J = "bristol";

  @TempDir
  Path dir;

  final MutableClock clock = MutableClock.at("2024-05-01T09:00:00Z");
  FakeOpen311 open311;
  InMemoryCrm crm;
  SyncStore store;
  SyncEngine engine;

  static JurisdictionMapping mapping(boolean citizenFixedCloses) {
    return JurisdictionMapping.builder(J)
        .service("POT", "Pothole").service("LIGHT", "StreetLight")
        .crmStatus("NEW", Status.OPEN).crmStatus("INP", Status.IN_PROGRESS)
        .crmStatus("FIXED", Status.FIXED).crmStatus("CLOSED", Status.CLOSED)
        .crmStatus("NFA", Status.NO_FURTHER_ACTION).crmStatus("REOPENED", Status.OPEN)
        .ignoreCrmStatus("TRIAGE")
        .open311Status(Status.IN_PROGRESS, "INP")
        .closesCrmCase(Status.FIXED, Status.CLOSED)
        .citizenFixedClosesCrmCase(citizenFixedCloses)
        .crmZone(ZoneId.of("Europe/London")).open311Zone(ZoneId.of("UTC"))
        .build();
  }

  @BeforeEach
  void setUp() {
    open311 = new FakeOpen311(clock);
    crm = InMemoryCrm.builder().name("memory").clock(clock)
        .closedStatusCodes(java.util.Set.of("CLOSED", "FIXED", "NFA")).closingStatusCode("CLOSED").build();
    store = SyncStores.h2File(dir.resolve("sync"), org.civicsync.core.store.H2Durability.PROCESS_CRASH, clock);
    engine = engine("node-a", true);
  }

  SyncEngine engine(String owner, boolean citizenFixedCloses) {
    return SyncEngine.builder(store).clock(clock).owner(owner)
        .jurisdiction(new Jurisdiction(J, open311, crm, mapping(citizenFixedCloses),
            SyncSettings.ofDefaults(Instant.parse("2024-05-01T00:00:00Z"))
                .withClaimTtl(Duration.ofMinutes(5))))
        .build();
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  PassResult pass() {
    clock.advance(Duration.ofMinutes(1));
    return engine.runOnce(J);
  }

  String caseOf(String open311Id) {
    return store.links().findByOpen311Id(J, open311Id).flatMap(Link::crmId).orElseThrow();
  }

  @Test
  void everyReportReachesTheCrmExactlyOnce() {
    String a = open311.report("POT", "9001");
    String b = open311.report("LIGHT", "9002");

    pass();
    pass();
    pass();

    assertThat(crm.createCount(a)).isEqualTo(1);
    assertThat(crm.createCount(b)).isEqualTo(1);
    assertThat(crm.find(caseOf(a)).map(CrmCase::caseType)).contains("Pothole");
    assertThat(crm.find(caseOf(b)).map(CrmCase::caseType)).contains("StreetLight");
    assertThat(store.links().findByFixMyStreetId(J, "9001").flatMap(Link::open311Id)).contains(a);
    assertThat(store.outbox().counts(J).get(OutboxState.DONE)).isEqualTo(2);
  }

  @Test
  void closingCaseInCrmMarksReportFixedOnOpen311AndCompletesTheLink() {
    String a = open311.report("POT", "9001");
    pass();
    String caseId = caseOf(a);

    long version = crm.officer().close(caseId, "FIXED");
    pass();

    ReportUpdate sent = open311.received().get("crm-" + caseId + "-" + version);
    assertThat(sent).isNotNull();
    assertThat(sent.status()).contains(Status.FIXED);
    assertThat(sent.externalStatusCode()).contains("FIXED");
    assertThat(sent.fixMyStreetId()).contains("9001");
    assertThat(open311.request(a).status()).contains(Status.FIXED);
    Link link = store.links().findByOpen311Id(J, a).orElseThrow();
    assertThat(link.complete()).isTrue();
    assertThat(store.journal().window(J, org.civicsync.core.store.Side.OPEN311,
        Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), 10)).hasSize(1);
  }

  @Test
  void progressAndNotesFlowBackAndIgnoredCodesDoNot() {
    String a = open311.report("POT", "9001");
    pass();
    String caseId = caseOf(a);

    crm.officer().changeStatus(caseId, "TRIAGE");
    pass();
    assertThat(open311.received()).isEmpty();

    crm.officer().changeStatus(caseId, "INP");
    crm.officer().addNote(caseId, "Crew booked for Tuesday");
    pass();

    assertThat(open311.received().values()).extracting(u -> u.status().orElseThrow())
        .containsExactly(Status.IN_PROGRESS, Status.UNCHANGED);
    assertThat(open311.received().values()).extracting(u -> u.description().orElse(""))
        .contains("Crew booked for Tuesday");
    assertThat(open311.request(a).status()).contains(Status.IN_PROGRESS);
  }

  @Test
  void citizenCommentBecomesACrmNoteOnceAndIsNotEchoedBack() {
    String a = open311.report("POT", "9001");
    pass();
    String caseId = caseOf(a);

    open311.citizenUpdate(a, "fms-u1", Status.UNCHANGED, "It's got bigger");
    pass();
    pass();

    assertThat(crm.notes(caseId)).extracting(n -> n.text()).containsExactly("It's got bigger");
    assertThat(open311.received()).isEmpty();
  }

  @Test
  void citizenFixedClosesTheCrmCaseWhenConfigured() {
    String a = open311.report("POT", "9001");
    pass();
    String caseId = caseOf(a);

    open311.citizenUpdate(a, "fms-u2", Status.FIXED, "Fixed now, thanks");
    pass();
    pass();

    assertThat(crm.find(caseId).orElseThrow().closed()).isTrue();
    assertThat(store.links().findByOpen311Id(J, a).orElseThrow().complete()).isTrue();
    assertThat(open311.received()).isEmpty();
  }

  @Test
  void citizenFixedOnlyAddsANoteWhenNotConfiguredToClose() {
    store.close();
    store = SyncStores.h2File(dir.resolve("sync2"), org.civicsync.core.store.H2Durability.PROCESS_CRASH, clock);
    engine = engine("node-a", false);
    String a = open311.report("POT", "9001");
    pass();
    String caseId = caseOf(a);

    open311.citizenUpdate(a, "fms-u3", Status.FIXED, "Fixed now");
    pass();

    assertThat(crm.find(caseId).orElseThrow().closed()).isFalse();
    assertThat(crm.notes(caseId)).extracting(n -> n.text()).anySatisfy(t -> assertThat(t).contains("Fixed now"));
  }

  @Test
  void aLateOpenUpdateDoesNotMoveAClosedReportBackwards() {
    String a = open311.report("POT", "9001");
    pass();
    String caseId = caseOf(a);
    crm.officer().close(caseId, "FIXED");
    pass();
    OffsetDateTime past = OffsetDateTime.parse("2024-05-01T09:00:30Z");

    open311.lateCitizenUpdate(a, "fms-late", Status.OPEN, past);
    open311.lateCitizenUpdate(a, "fms-late-2", Status.IN_PROGRESS, OffsetDateTime.now(clock));
    pass();

    assertThat(crm.find(caseId).orElseThrow().closed()).isTrue();
    assertThat(store.links().findByOpen311Id(J, a).orElseThrow().open311().status()).contains(Status.FIXED);
  }

  @Test
  void anExplicitReopenOpensTheCaseAgain() {
    String a = open311.report("POT", "9001");
    pass();
    String caseId = caseOf(a);
    crm.officer().close(caseId, "FIXED");
    pass();

    crm.officer().changeStatus(caseId, "REOPENED");
    pass();

    assertThat(open311.request(a).status()).contains(Status.REOPEN);
    assertThat(store.links().findByOpen311Id(J, a).orElseThrow().complete()).isFalse();
  }

  @Test
  void anAmbiguousCreateIsSettledByLookingNotByCreatingAgain() {
    String a = open311.report("POT", "9001");
    crm.faults().applyThenLoseAnswer(CrmOperation.CREATE_CASE, 1);

    pass();
    assertThat(store.links().findByOpen311Id(J, a).orElseThrow().crmId()).isEmpty();
    clock.advance(Duration.ofHours(1));
    pass();

    assertThat(crm.createCount(a)).isEqualTo(1);
    assertThat(store.links().findByOpen311Id(J, a).orElseThrow().crmId()).isPresent();
  }

  @Test
  void transientFailuresAreRetriedAndPermanentOnesGoDeadAndCanBeReplayed() {
    String a = open311.report("POT", "9001");
    crm.faults().failNextTransiently(CrmOperation.CREATE_CASE, 1, Duration.ofSeconds(5));
    pass();
    assertThat(crm.createCount(a)).isZero();
    pass();
    assertThat(crm.createCount(a)).isEqualTo(1);

    String b = open311.report("POT", "9002");
    crm.faults().failNext(CrmOperation.CREATE_CASE, 1, org.civicsync.core.spi.CrmException.Kind.PERMANENT);
    pass();
    List<org.civicsync.core.store.OutboxItem> dead = store.outbox().listDead(J);
    assertThat(dead).singleElement().satisfies(item -> {
      assertThat(item.idempotencyKey()).isEqualTo("create:" + b);
      assertThat(item.lastError()).isPresent();
    });

    assertThat(store.outbox().replay(dead.get(0).id())).isTrue();
    pass();
    assertThat(crm.createCount(b)).isEqualTo(1);
    assertThat(store.outbox().listDead(J)).isEmpty();
  }

  @Test
  void aCrmErrorEchoingTheCitizensEmailAndPhoneReachesNeitherTheLogNorLastError() {
    String a = open311.report("POT", "9001");
    // As a CRM's validation error reads: the refused values quoted back.
    crm.faults().failNext(CrmOperation.CREATE_CASE, 1,
        org.civicsync.core.spi.CrmException.Kind.PERMANENT, "HTTP 400 INVALID_EMAIL_ADDRESS:"
            + " jane.citizen@example.org (phone +44 7700 900123) at 2024-05-01T09:01:00Z");

    String log = stderrOf(this::pass);

    assertThat(store.outbox().listDead(J)).singleElement().satisfies(item ->
        assertThat(item.lastError()).hasValueSatisfying(error -> assertThat(error)
            .contains("HTTP 400 INVALID_EMAIL_ADDRESS: <email> (phone <phone>)"
                + " at 2024-05-01T09:01:00Z")
            .doesNotContain("jane.citizen", "example.org", "7700")));
    assertThat(log).contains("create:" + a, "permanent", "INVALID_EMAIL_ADDRESS: <email>")
        .doesNotContain("jane.citizen", "example.org", "7700");
  }

  /** What slf4j-simple wrote while {@code run} ran: it writes to the System.err of the moment. */
  static String stderrOf(Runnable run) {
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      run.run();
    } finally {
      System.setErr(err);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void aFailingCrmOpensItsCircuitAndWorkWaitsInsteadOfDying() {
    engine = SyncEngine.builder(store).clock(clock).owner("node-a")
        .jurisdiction(new Jurisdiction(J, open311, crm, mapping(true),
            SyncSettings.ofDefaults(Instant.parse("2024-05-01T00:00:00Z")),
            org.civicsync.core.resilience.RemoteSystem.create("crm:" + J,
                org.civicsync.core.resilience.ResiliencePolicy.builder().minimumCalls(2)
                    .slidingWindowSize(2).failureRateThreshold(100).build(), d -> { })))
        .build();
    for (int i = 0; i < 5; i++) {
      open311.report("POT", "900" + i);
    }
    crm.faults().failNext(CrmOperation.CREATE_CASE, 10, org.civicsync.core.spi.CrmException.Kind.TRANSIENT);

    pass();

    assertThat(crm.calls(CrmOperation.CREATE_CASE)).isEqualTo(2);
    assertThat(store.outbox().listDead(J)).isEmpty();
    assertThat(store.outbox().counts(J).get(OutboxState.PENDING)).isEqualTo(5);
  }
}
