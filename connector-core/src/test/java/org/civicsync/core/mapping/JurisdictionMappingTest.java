package org.civicsync.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.civicsync.core.model.Attributes;
import org.civicsync.core.model.Status;
import org.junit.jupiter.api.Test;

class JurisdictionMappingTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");

  private static JurisdictionMapping.Builder bristol() {
    return JurisdictionMapping.builder("bristol")
        .service("POT", "Pothole")
        .service("GRF", "Graffiti")
        .attribute("depth", "Depth__c")
        .crmStatus("NEW", Status.OPEN)
        .crmStatus("INP", Status.IN_PROGRESS)
        .crmStatus("DONE", Status.FIXED)
        .crmStatus("NFA", Status.NO_FURTHER_ACTION)
        .ignoreCrmStatus("DRAFT")
        .unknownCrmStatus(Status.INVESTIGATING)
        .open311Status(Status.FIXED, "DONE")
        .open311Status(Status.REOPEN, "NEW")
        .closesCrmCase(Status.FIXED, Status.CLOSED)
        .crmZone(LONDON)
        .open311Zone(LONDON);
  }

  @Test
  void serviceCodesAndCaseTypesTranslateBothWays() {
    JurisdictionMapping m = bristol().build();

    assertThat(m.caseType("POT")).contains("Pothole");
    assertThat(m.serviceCode("Graffiti")).contains("GRF");
    assertThat(m.caseType("FLY")).isEmpty();
    assertThat(m.attributeCode("Depth__c")).contains("depth");
  }

  @Test
  void attributesBecomeCrmFieldsAndUnmappedOnesAreLeftOut() {
    Attributes attributes = Attributes.builder().add("depth", "5cm")
        .add("fixmystreet_id", "1234").build();

    assertThat(bristol().build().crmFields(attributes))
        .isEqualTo(Map.of("Depth__c", List.of("5cm")));
  }

  @Test
  void aMappedCrmCodeGivesItsStatusAndKeepsTheRawCode() {
    MappedStatus mapped = bristol().build().statuses().fromCrm("NFA", "CASE-1");

    assertThat(mapped.status()).contains(Status.NO_FURTHER_ACTION);
    assertThat(mapped.externalStatusCode()).isEqualTo("NFA");
    assertThat(mapped.defaulted()).isFalse();
    assertThat(mapped.ignored()).isFalse();
  }

  @Test
  void anIgnoredCrmCodeIsNotSentButKeepsItsCode() {
    MappedStatus mapped = bristol().build().statuses().fromCrm("DRAFT", "CASE-1");

    assertThat(mapped.ignored()).isTrue();
    assertThat(mapped.defaulted()).isFalse();
    assertThat(mapped.externalStatusCode()).isEqualTo("DRAFT");
  }

  @Test
  void anUnknownCrmCodeGetsTheDefaultWithAWarningNamingCodeAndCase() {
    StatusMapping statuses = bristol().build().statuses();

    String log = capturingStandardError(() -> {
      MappedStatus mapped = statuses.fromCrm("HOLD", "CASE-42");
      assertThat(mapped.status()).contains(Status.INVESTIGATING);
      assertThat(mapped.defaulted()).isTrue();
      assertThat(mapped.externalStatusCode()).isEqualTo("HOLD");
    });

    assertThat(log).contains("WARN", "'HOLD'", "CASE-42", "INVESTIGATING");
  }

  @Test
  void withoutADefaultAnUnknownCrmCodeIsIgnored() {
    StatusMapping statuses = bristol().ignoreUnknownCrmStatus().build().statuses();

    String log = capturingStandardError(() -> {
      MappedStatus mapped = statuses.fromCrm("HOLD", "CASE-42");
      assertThat(mapped.ignored()).isTrue();
      assertThat(mapped.defaulted()).isTrue();
    });

    assertThat(log).contains("WARN", "'HOLD'", "CASE-42", "IGNORE");
  }

  @Test
  void canonicalStatusesMapBackToCrmCodesAndSomeCloseTheCase() {
    StatusMapping statuses = bristol().build().statuses();

    assertThat(statuses.toCrm(Status.REOPEN)).contains("NEW");
    assertThat(statuses.toCrm(Status.IN_PROGRESS)).isEmpty();
    assertThat(statuses.closesCrmCase(Status.FIXED)).isTrue();
    assertThat(statuses.closesCrmCase(Status.CLOSED)).isTrue();
    assertThat(statuses.closesCrmCase(Status.NO_FURTHER_ACTION)).isFalse();
    assertThat(statuses.citizenFixedClosesCrmCase()).isFalse();
    assertThat(bristol().citizenFixedClosesCrmCase(true).build().statuses()
        .citizenFixedClosesCrmCase()).isTrue();
  }

  @Test
  void open311TimesAreWrittenInTheJurisdictionsZone() {
    OffsetDateTime summer = bristol().build().open311Time(Instant.parse("2024-07-01T09:00:00Z"));

    assertThat(summer.toString()).isEqualTo("2024-07-01T10:00+01:00");
  }

  @Test
  void theBuilderReportsEveryErrorWithItsPath() {
    JurisdictionMapping.Builder bad = JurisdictionMapping.builder("bath")
        .service("POT", "Pothole").service("POT2", "Pothole")
        .crmStatus("NEW", Status.OPEN)
        .open311Status(Status.UNCHANGED, "X")
        .closesCrmCase(Status.IN_PROGRESS);

    assertThatThrownBy(bad::build).isInstanceOfSatisfying(MappingException.class,
        e -> assertThat(e.errors()).extracting(MappingError::path).containsExactlyInAnyOrder(
            "jurisdictions.bath.services.POT2",
            "jurisdictions.bath.statuses.open311_to_crm.unchanged",
            "jurisdictions.bath.statuses.closes_crm_case",
            "jurisdictions.bath.timezones.crm",
            "jurisdictions.bath.timezones.open311"));
  }

  @Test
  void aMappingHoldsItsJurisdictionsAndChecksThemTogether() {
    Mapping mapping = Mapping.builder().jurisdiction(bristol()).build();
    assertThat(mapping.jurisdiction("bristol")).isPresent();
    assertThat(mapping.jurisdiction("bath")).isEmpty();

    assertThatThrownBy(() -> Mapping.builder().jurisdiction(bristol())
        .jurisdiction(JurisdictionMapping.builder("bath")).build())
        .isInstanceOfSatisfying(MappingException.class, e -> assertThat(e.errors())
            .extracting(MappingError::path)
            .allMatch(p -> p.startsWith("jurisdictions.bath."))
            .hasSize(4));
  }

  private static String capturingStandardError(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    // slf4j-simple, the test binding, writes to whatever System.err is at the time of the call.
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
