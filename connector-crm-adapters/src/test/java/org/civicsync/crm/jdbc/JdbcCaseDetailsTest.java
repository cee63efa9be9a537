package org.civicsync.crm.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.civicsync.core.model.Contact;
import org.civicsync.core.model.Location;
import org.civicsync.core.model.Report;
import org.civicsync.core.spi.CaseDetails;
import org.civicsync.crm.internal.LocationFields;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A case raised in the CRM's own screens, read back as a report by its id. */
class JdbcCaseDetailsTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private JdbcDataSource db;
  private JdbcCrm crm;

  @BeforeEach
  void start() throws SQLException {
    db = new JdbcDataSource();
    db.setURL("jdbc:h2:mem:details" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      for (String ddl : JdbcCrmContractTest.SCHEMA.split(";")) {
        s.execute(ddl);
      }
    }
    crm = JdbcCrm.create("council-db", JdbcCrmContractTest.settings(), db,
        Clock.fixed(Instant.parse("2024-07-01T09:00:00Z"), ZoneOffset.UTC));
  }

  private String officerRaises(String title, String description) throws SQLException {
    try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
        "INSERT INTO crm_case (case_type, status, title, description, ward, latitude,"
            + " longitude, modified, row_version)"
            + " VALUES ('POTHOLE', 'OPEN', ?, ?, 'Ashley', 51.4545, -2.5879, ?, 1)",
        new String[] {"case_id"})) {
      s.setString(1, title);
      s.setString(2, description);
      s.setObject(3, LocalDateTime.of(2024, 7, 1, 10, 0));
      s.executeUpdate();
      try (var keys = s.getGeneratedKeys()) {
        keys.next();
        return keys.getString(1);
      }
    }
  }

  @Test
  void withoutLocationColumnsDetailsSelectOnlyTheDescriptionAndTitle() throws SQLException {
    String caseId = officerRaises("Pothole", "Deep one by the school gate");

    Optional<Report> details = crm.capability(CaseDetails.class).orElseThrow().details(caseId);

    assertThat(details).hasValueSatisfying(r -> {
      assertThat(r.title()).contains("Pothole");
      assertThat(r.description()).contains("Deep one by the school gate");
      assertThat(r.location()).isEqualTo(Location.NONE);
      assertThat(r.contact()).isEqualTo(Contact.NONE);
    });
    assertThat(new CaseSql(JdbcCrmContractTest.settings()).details(LocationFields.NONE))
        .isEqualTo("SELECT description, title FROM crm_case WHERE case_id = ?");
  }

  @Test
  void withoutATitleColumnTheDescriptionAndTheLocationColumnsAreRead() throws SQLException {
    JdbcSettings s = JdbcCrmContractTest.settings();
    JdbcSettings untitled = new JdbcSettings(s.caseTable(), s.caseIdColumn(), s.numericIds(),
        s.idempotencyKeyColumn(), s.externalReferenceColumn(), s.caseTypeColumn(),
        s.statusColumn(), s.modifiedColumn(), s.versionColumn(), Optional.empty(),
        s.descriptionColumn(), s.notesTable(), s.noteIdColumn(), s.noteCaseColumn(),
        s.noteTextColumn(), s.noteCreatedColumn(), s.noteUpdateIdColumn(), s.timeZone(),
        s.closedStatuses(), s.openStatus(), s.closeStatus());
    String caseId = officerRaises("Pothole", "Deep one");
    JdbcCrm plain = JdbcCrm.create("council-db", untitled, db, Clock.systemUTC())
        .withLocation(JdbcCrmContractTest.LOCATION);

    assertThat(plain.details(caseId)).hasValueSatisfying(r -> {
      assertThat(r.title()).isEmpty();
      assertThat(r.description()).contains("Deep one");
      assertThat(r.location()).isEqualTo(Location.at("51.454500", "-2.587900"));
    });
    assertThat(new CaseSql(untitled).details(JdbcCrmContractTest.LOCATION)).isEqualTo(
        "SELECT description, latitude, longitude, address FROM crm_case WHERE case_id = ?");
  }

  @Test
  void anUnknownIdAndAnIdOfTheWrongTypeAreNoCase() throws SQLException {
    officerRaises("Pothole", "Deep one");

    assertThat(crm.details("999999")).isEmpty();
    assertThat(crm.details("CASE-1")).isEmpty();
  }
}
