package org.civicsync.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.civicsync.core.crm.memory.InMemoryCrm;
import org.civicsync.core.model.Attributes;
import org.civicsync.core.model.Contact;
import org.civicsync.core.model.Report;
import org.civicsync.core.store.H2Durability;
import org.civicsync.core.store.Link;
import org.civicsync.core.store.NewLink;
import org.civicsync.core.store.NewWorkItem;
import org.civicsync.core.store.ServedQuery;
import org.civicsync.core.store.SyncStore;
import org.civicsync.core.store.SyncStores;
import org.civicsync.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports received before the served_request table existed (migration V3) are given their row by
 * {@link ServeMode#work}, so that {@code GET requests} lists them by window. The data of such a
 * store is made by serve mode itself, on an H2 file, and then stripped of its served rows with
 * plain SQL while the store is closed, as a store upgraded to V3 would be.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServeBackfillTest {
  static final String J = "council.example";
  static final Instant T0 = Instant.parse("2024-05-01T09:00:00Z");

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(T0);
  private final InMemoryCrm crm = InMemoryCrm.builder().name("memory").clock(clock)
      .closedStatusCodes(Set.of("CLOSED", "FIXED")).closingStatusCode("CLOSED").build();
  SyncStore store;
  ServeMode serve;

  @BeforeEach
  void open() {
    store = SyncStores.h2File(dir.resolve("serve"), H2Durability.PROCESS_CRASH, clock);
    serve = serveMode();
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void reportsReceivedBeforeV3AreListedWithTheirPublicPartOnlyAndNeverNonPublicOnes() {
    for (int i = 0; i < 3; i++) {
      serve.receive(J, "fms-" + i, report(i, i == 1), true);
      clock.advance(Duration.ofMinutes(1));
    }
    upgradeToV3("DELETE FROM served_request");
    assertThat(listed()).as("before the backfill: served by id only").isEmpty();
    assertThat(serve.servedReport(J, crmId("fms-0"))).isPresent();

    serve.work(J);

    List<Report> listed = listed();
    assertThat(listed).extracting(r -> r.id().orElseThrow())
        .containsExactly(crmId("fms-0"), crmId("fms-2"));
    Link link = store.links().findByOpen311Id(J, "fms-2").orElseThrow();
    assertThat(listed.get(1)).satisfies(r -> {
      assertThat(r.description()).hasValue("Pothole outside number 2");
      assertThat(r.serviceCode()).hasValue("POT");
      assertThat(r.requested()).as("the link's created time, as for any received report")
          .hasValue(OffsetDateTime.ofInstant(link.created(), ZoneOffset.UTC));
      assertThat(r.contact()).isEqualTo(Contact.NONE);
      assertThat(r.attributes()).isEqualTo(Attributes.EMPTY);
      assertThat(r.nonPublic()).isFalse();
    });
    for (String key : List.of("fms-0", "fms-1", "fms-2")) {
      long id = store.links().findByOpen311Id(J, key).orElseThrow().id();
      assertThat(store.served().find(id).orElseThrow()).satisfies(row -> {
        assertThat(row.payload()).doesNotContain("jo@example.org", "07700900", "Jo", "secret");
        assertThat(row.crmOriginated()).isFalse();
      });
    }
    assertThat(store.served().find(store.links().findByOpen311Id(J, "fms-1").orElseThrow().id())
        .orElseThrow().nonPublic()).as("recorded, so still never listed").isTrue();
    assertThat(serve.servedReport(J, crmId("fms-1")).orElseThrow().nonPublic()).isTrue();
  }

  @Test
  void aLinkWithoutReadableCreateWorkIsPassedOverAndTheOthersListed() {
    for (int i = 0; i < 4; i++) {
      serve.receive(J, "fms-" + i, report(i, false), true);
    }
    upgradeToV3("DELETE FROM served_request",
        "DELETE FROM outbox WHERE idempotency_key = 'create:fms-1'",
        "UPDATE outbox SET payload = '{\"linkId\":' WHERE idempotency_key = 'create:fms-2'");

    serve.work(J);

    assertThat(listed()).extracting(r -> r.id().orElseThrow())
        .containsExactly(crmId("fms-0"), crmId("fms-3"));
  }

  @Test
  void theBackfillRunsInBoundedBatchesPerRoundThenNeverLooksAgain() {
    int reports = ServeMode.BACKFILL_BATCH * ServeMode.BACKFILL_BATCHES + 1;
    for (int i = 0; i < reports; i++) {
      serve.receive(J, "fms-" + i, report(i, false), false);
    }
    serve.work(J);
    assertThat(crm.cases()).hasSize(reports);
    upgradeToV3("DELETE FROM served_request");

    serve.work(J);
    assertThat(listed()).as("one round's worth").hasSize(reports - 1);
    serve.work(J);
    assertThat(listed()).hasSize(reports);

    // A link without a row made after the backfill finished (as nothing in serve mode makes one).
    Link late = store.links().insertIfAbsentByOpen311Id(NewLink.forOpen311(J, "late")
        .withCrmId("case-late")).link();
    store.outbox().enqueue(NewWorkItem.now(J, Work.CREATE_CASE, "create:late",
        Payloads.write(new Work.CreateCase(late.id(), report(-1, false)))));
    long item = store.outbox().findByKey(J, "create:late").orElseThrow().id();
    store.outbox().claimItem(item, "test", clock.instant(), Duration.ofMinutes(1));
    assertThat(store.outbox().markDone(item, "test")).isTrue();
    serve.work(J);
    assertThat(listed()).as("the backfill is done: a later round does not query again")
        .hasSize(reports);
    assertThat(store.served().find(late.id())).isEmpty();
  }

  /**
   * Closes the store, runs {@code statements} on its file, and opens it again under a new serve
   * mode: a process started after the upgrade.
   */
  private void upgradeToV3(String... statements) {
    store.close();
    try (Connection c = rawConnection(); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.executeUpdate(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    store = SyncStores.h2File(dir.resolve("serve"), H2Durability.PROCESS_CRASH, clock);
    serve = serveMode();
  }

  private Connection rawConnection() throws SQLException {
    return DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("serve").toAbsolutePath()
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "sa", "");
  }

  private List<Report> listed() {
    return serve.servedRequests(new ServedQuery(J, T0.minusSeconds(3600), T0.plusSeconds(86_400),
        Set.of(), Set.of(), Set.of(), 10_000));
  }

  private String crmId(String key) {
    return store.links().findByOpen311Id(J, key).orElseThrow().crmId().orElseThrow();
  }

  private ServeMode serveMode() {
    return PotholeServe.on(store, clock, crm, J);
  }

  /** A report with contact details and an attribute that must never be listed. */
  private static Report report(int n, boolean nonPublic) {
    return Report.builder().serviceCode("POT").description("Pothole outside number " + n)
        .contact(Contact.of("Jo", "Bloggs", "jo@example.org", "07700900" + n))
        .attribute("fixmystreet_id", Integer.toString(n)).attribute("reporter_note", "secret")
        .nonPublic(nonPublic).build();
  }
}
