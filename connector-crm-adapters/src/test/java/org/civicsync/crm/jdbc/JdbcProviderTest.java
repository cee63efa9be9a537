package org.civicsync.crm.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.civicsync.core.model.Location;
import org.civicsync.core.model.Report;
import org.civicsync.core.spi.CaseCreation;
import org.civicsync.core.spi.CaseDetails;
import org.civicsync.core.spi.CaseLookup;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.NewCase;
import org.junit.jupiter.api.Test;

/** The JDBC adapter as the connector builds it: from configuration, through ServiceLoader. */
class JdbcProviderTest {
  private static final String URL = "jdbc:h2:mem:provider;DB_CLOSE_DELAY=-1";

  static Map<String, Object> config() {
    Map<String, Object> c = new HashMap<>();
    c.put("jdbc_url", URL);
    c.put("user", "council");
    c.put("password", "r1ght-pa55");
    c.put("case_table", "crm_case");
    c.put("case_id_column", "case_id");
    c.put("idempotency_key_column", "fms_key");
    c.put("external_reference_column", "ext_ref");
    c.put("case_type_column", "case_type");
    c.put("status_column", "status");
    c.put("modified_column", "modified");
    c.put("version_column", "row_version");
    c.put("title_column", "title");
    c.put("description_column", "description");
    c.put("notes_table", "crm_note");
    c.put("note_id_column", "note_id");
    c.put("note_case_column", "case_id");
    c.put("note_text_column", "body");
    c.put("note_created_column", "created");
    c.put("time_zone", "Europe/London");
    c.put("closed_statuses", List.of("CLOSED"));
    c.put("open_status", "OPEN");
    c.put("close_status", "CLOSED");
    return c;
  }

  @Test
  void aConfiguredAdapterCreatesAndFindsCasesThroughItsPool() throws SQLException {
    try (Connection c = DriverManager.getConnection(URL, "council", "r1ght-pa55");
        Statement s = c.createStatement()) {
      for (String ddl : JdbcCrmContractTest.SCHEMA.split(";")) {
        s.execute(ddl);
      }
    }
    Map<String, Object> config = config();
    config.put("latitude_column", "latitude");
    config.put("longitude_column", "longitude");
    try (CrmAdapter crm = CrmAdapterRegistry.installed().create("jdbc", "council-db", config)) {
      String id = crm.capability(CaseCreation.class).orElseThrow().create(new NewCase("fms-1",
          "req-1", "POTHOLE", Map.of("ward", List.of("Ashley")), Report.builder()
              .description("Deep").location(Location.at("51.4545", "-2.5879")).build()))
          .caseId();

      assertThat(crm.capability(CaseLookup.class).orElseThrow().findByExternalReference("req-1"))
          .hasValueSatisfying(found -> assertThat(found.caseId()).isEqualTo(id));
      assertThat(crm.capability(CaseDetails.class).orElseThrow().details(id))
          .hasValueSatisfying(r -> assertThat(r.location().coordinates()).hasValueSatisfying(
              point -> assertThat(point.lat()).isEqualByComparingTo("51.4545")));
    }
  }

  @Test
  void locationColumnsAreCheckedAsNamesAndALatitudeNeedsALongitude() {
    Map<String, Object> config = config();
    config.put("latitude_column", "lat) --");
    config.put("longitude_column", "longitude");
    Map<String, Object> alone = config();
    alone.put("latitude_column", "latitude");

    assertThatThrownBy(() -> CrmAdapterRegistry.installed().create("jdbc", "council-db", config))
        .hasMessageContaining("council-db").hasMessageContaining("location column");
    assertThatThrownBy(() -> CrmAdapterRegistry.installed().create("jdbc", "council-db", alone))
        .hasMessageContaining("the latitude and the longitude field go together");
  }

  @Test
  void aTableNameThatCouldCarrySqlIsRefusedNamingTheSetting() {
    Map<String, Object> config = config();
    config.put("case_table", "crm_case; DROP TABLE crm_note --");

    assertThatThrownBy(() -> CrmAdapterRegistry.installed().create("jdbc", "council-db", config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("council-db").hasMessageContaining("case_table");
  }

  @Test
  void aMappedFieldNameThatIsNotAPlainNameIsRefusedBeforeAnySql() {
    Map<String, Object> config = config();
    config.put("jdbc_url", "jdbc:h2:mem:never-used");
    try (CrmAdapter crm = CrmAdapterRegistry.installed().create("jdbc", "council-db", config)) {
      assertThatThrownBy(() -> crm.capability(CaseCreation.class).orElseThrow().create(
          new NewCase("fms-2", "req-2", "POTHOLE", Map.of("ward) VALUES ('x'); --", List.of("a")),
              Report.builder().build())))
          .isInstanceOfSatisfying(CrmException.class, e -> {
            assertThat(e.kind()).isEqualTo(CrmException.Kind.PERMANENT);
            assertThat(e.getMessage()).contains("field name");
          });
    }
  }
}
