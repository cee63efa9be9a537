package org.civicsync.crm.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.Service;
import org.civicsync.core.spi.CaseUpdate;
import org.civicsync.core.spi.ChangePage;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.core.spi.CrmChange;
import org.civicsync.core.spi.NewCase;
import org.civicsync.core.spi.ServiceCatalogue;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Public notes written by an officer reach the change feed, internal ones never do; the service
 * table is the service list.
 */
class JdbcNotesAndServicesTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final Instant NOW = Instant.parse("2024-07-01T09:00:00Z");
  private JdbcDataSource db;
  private JdbcCrm crm;

  @BeforeEach
  void start() throws SQLException {
    db = new JdbcDataSource();
    db.setURL("jdbc:h2:mem:notes" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      for (String ddl : JdbcCrmContractTest.SCHEMA.split(";")) {
        s.execute(ddl);
      }
    }
    crm = JdbcCrm.create("council-db", JdbcCrmContractTest.settings(), db,
        Clock.fixed(NOW, ZoneOffset.UTC))
        .withServiceTable(JdbcCrmContractTest.SERVICES)
        .withFeedNotes(FeedNotes.publicOnly("is_public"));
  }

  private void officerNote(String caseId, String text, boolean isPublic, LocalDateTime at)
      throws SQLException {
    try (Connection c = db.getConnection()) {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO crm_note (case_id, body, created, is_public) VALUES (?, ?, ?, ?)")) {
        s.setLong(1, Long.parseLong(caseId));
        s.setString(2, text);
        s.setObject(3, at);
        s.setBoolean(4, isPublic);
        s.executeUpdate();
      }
      // The CRM's screen moves the case with every note, as the adapter's own writes do.
      try (PreparedStatement s = c.prepareStatement("UPDATE crm_case SET modified = ?, "
          + "row_version = row_version + 1 WHERE case_id = ?")) {
        s.setObject(1, at);
        s.setLong(2, Long.parseLong(caseId));
        s.executeUpdate();
      }
    }
  }

  @Test
  void aPublicNoteIsListedWithItsCasesChangeAndAnInternalOneIsNot() throws SQLException {
    String caseId = crm.create(new NewCase("fms-1", "req-1", "POTHOLE", Map.of(),
        Report.builder().description("Hole").build())).caseId();
    ChangePage first = crm.changesSince(crm.beginning(), 10);
    // 09:00Z is 10:00 in London in July: the columns hold local times.
    officerNote(caseId, "Contractor is slow", false, LocalDateTime.of(2024, 7, 1, 10, 5));
    officerNote(caseId, "Booked for Tuesday", true, LocalDateTime.of(2024, 7, 1, 10, 6));

    ChangePage page = crm.changesSince(first.next(), 10);

    assertThat(first.changes()).singleElement().satisfies(c -> assertThat(c.note()).isEmpty());
    CrmChange change = page.changes().get(0);
    assertThat(change.caseId()).isEqualTo(caseId);
    assertThat(change.note()).hasValueSatisfying(n -> {
      assertThat(n.text()).isEqualTo("Booked for Tuesday");
      assertThat(n.created()).isEqualTo(Instant.parse("2024-07-01T09:06:00Z"));
    });
  }

  @Test
  void theAdaptersOwnPublicNoteComesBackAsItsUpdateId() throws SQLException {
    String caseId = crm.create(new NewCase("fms-2", "req-2", "POTHOLE", Map.of(),
        Report.builder().description("Hole").build())).caseId();
    ChangePage first = crm.changesSince(crm.beginning(), 10);
    crm.apply(CaseUpdate.note(caseId, "upd-5", "Thank you"));
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE crm_note SET is_public = TRUE"); // the CRM publishes it
    }

    ChangePage page = crm.changesSince(crm.cursorAt(NOW), 10);

    assertThat(first.changes()).isNotEmpty();
    assertThat(page.changes()).singleElement().satisfies(c -> {
      assertThat(c.note()).isEmpty();
      assertThat(c.updateId()).contains("upd-5");
    });
  }

  @Test
  void theServicesAreTheActiveRowsOfTheServiceTableWithTheirGroups() {
    List<Service> services = crm.capability(ServiceCatalogue.class).orElseThrow().services();

    assertThat(services).extracting(Service::code).containsExactly("POTHOLE", "STREETLIGHT");
    assertThat(services).extracting(Service::name).containsExactly("Pothole", "Street light out");
    assertThat(services.get(0).groups()).containsExactly("Roads");
  }

  @Test
  void withoutAServiceTableThereIsNoCatalogueAndFeedNotesNeedsAPublicColumn() {
    JdbcCrm plain = JdbcCrm.create("council-db", JdbcCrmContractTest.settings(), db,
        Clock.systemUTC());
    assertThat(plain.capability(ServiceCatalogue.class)).isEmpty();

    Map<String, Object> config = new java.util.HashMap<>(JdbcProviderTest.config());
    config.put("feed_notes", "public");
    assertThatThrownBy(() -> CrmAdapterRegistry.installed().create("jdbc", "council-db", config))
        .hasMessageContaining("council-db: feed_notes 'public' needs note_public_column");
    config.put("feed_notes", "some");
    assertThatThrownBy(() -> CrmAdapterRegistry.installed().create("jdbc", "council-db", config))
        .hasMessageContaining("feed_notes must be none, public or all, not 'some'");
  }
}
