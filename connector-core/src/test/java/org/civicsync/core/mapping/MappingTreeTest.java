package org.civicsync.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.civicsync.core.model.Status;
import org.junit.jupiter.api.Test;

class MappingTreeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Parses JSON written with single quotes, as Jackson would hand over a YAML or JSON file. */
  static Map<String, Object> tree(String json) {
    try {
      return JSON.readValue(json.replace('\'', '"'), new TypeReference<>() {});
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static final String BRISTOL = """
      {'jurisdictions': {'bristol': {
        'services': {'POT': 'Pothole', 'GRF': 'Graffiti'},
        'attributes': {'depth': 'Depth__c'},
        'statuses': {
          'crm_to_open311': {'NEW': 'open', 'INP': 'in progress', 'DONE': 'FIXED', 'DRAFT': 'ignore',
                             '5': 'no_further_action'},
          'unknown_crm_status': 'investigating',
          'open311_to_crm': {'fixed': 'DONE', 'reopen': 'NEW', 'closed': 5},
          'closes_crm_case': ['fixed', 'closed'],
          'citizen_fixed_closes_crm_case': true},
        'timezones': {'crm': 'Europe/London', 'open311': 'UTC'}}}}
      """;

  private static List<String> errors(String json) {
    try {
      Mapping.fromTree(tree(json));
    } catch (MappingException e) {
      return e.errors().stream().map(MappingError::toString).toList();
    }
    throw new AssertionError("expected a MappingException");
  }

  @Test
  void aValidTreeBindsEveryRule() {
    JurisdictionMapping bristol = Mapping.fromTree(tree(BRISTOL)).jurisdiction("bristol")
        .orElseThrow();

    assertThat(bristol.caseType("GRF")).contains("Graffiti");
    assertThat(bristol.crmField("depth")).contains("Depth__c");
    StatusMapping s = bristol.statuses();
    assertThat(s.fromCrm("INP", "C1").status()).contains(Status.IN_PROGRESS);
    assertThat(s.fromCrm("5", "C1").status()).contains(Status.NO_FURTHER_ACTION);
    assertThat(s.fromCrm("DRAFT", "C1").ignored()).isTrue();
    assertThat(s.unknownCrmStatus()).contains(Status.INVESTIGATING);
    assertThat(s.toCrm(Status.CLOSED)).as("a number read as text").contains("5");
    assertThat(s.closingCrmCase()).containsExactlyInAnyOrder(Status.FIXED, Status.CLOSED);
    assertThat(s.citizenFixedClosesCrmCase()).isTrue();
    assertThat(bristol.crmZone()).isEqualTo(ZoneId.of("Europe/London"));
    assertThat(bristol.open311Zone()).isEqualTo(ZoneId.of("UTC"));
  }

  @Test
  void everyErrorIsReportedAtOnceWithItsPath() {
    List<String> errors = errors("""
        {'jurisdictions': {'bristol': {
          'services': {'POT': 'Pothole', 'POT2': 'Pothole'},
          'statuses': {
            'crm_to_open311': {'NEW': 'open', 'INP': 'in progres'},
            'unknown_crm_status': 'whatever',
            'open311_to_crm': {'fixd': 'DONE'},
            'closes_crm_case': ['fixed', 'in_progress'],
            'citizen_fixed_closes_crm_case': 'yes',
            'colour': 'blue'},
          'timezones': {'crm': 'Europe/Londn'}}}}
        """);

    assertThat(errors).containsExactlyInAnyOrder(
        "jurisdictions.bristol.statuses.colour: unknown key: expected one of "
            + "[citizen_fixed_closes_crm_case, closes_crm_case, crm_to_open311, open311_to_crm, "
            + "unknown_crm_status]",
        "jurisdictions.bristol.statuses.crm_to_open311.INP: unknown status 'in progres'",
        "jurisdictions.bristol.statuses.unknown_crm_status: unknown status 'whatever'",
        "jurisdictions.bristol.statuses.open311_to_crm.fixd: unknown status 'fixd'",
        "jurisdictions.bristol.statuses.citizen_fixed_closes_crm_case: expected true or false, "
            + "found string 'yes'",
        "jurisdictions.bristol.timezones.crm: unknown time zone 'Europe/Londn'",
        "jurisdictions.bristol.services.POT2: case type 'Pothole' is already mapped from 'POT'",
        "jurisdictions.bristol.statuses.closes_crm_case: 'in_progress' is not a closed status, "
            + "so it cannot close the CRM case",
        "jurisdictions.bristol.timezones.open311: missing: name the Open311 time zone");
  }

  @Test
  void errorsInSeveralJurisdictionsAreReportedTogether() {
    List<String> errors = errors("""
        {'jurisdictions': {
          'bristol': {'services': {'POT': 'Pothole'}, 'statuses': {'crm_to_open311': {'A': 'open'}},
                      'timezones': {'crm': 'UTC', 'open311': 'UTC'}, 'colour': 'red'},
          'bath': {'services': {'POT': 'Pothole'}, 'statuses': {'crm_to_open311': {'A': 'opn'}},
                   'timezones': {'crm': 'UTC', 'open311': 'UTC'}}}}
        """);

    assertThat(errors).hasSize(2);
    assertThat(errors.get(0)).startsWith("jurisdictions.bristol.colour: unknown key");
    assertThat(errors.get(1))
        .isEqualTo("jurisdictions.bath.statuses.crm_to_open311.A: unknown status 'opn'");
  }

  @Test
  void wrongTypesAndMissingSectionsAreNamed() {
    List<String> errors = errors("""
        {'jurisdictions': {'bristol': {'services': ['POT'], 'attributes': {'depth': {'x': 1}},
                                       'statuses': {'crm_to_open311': {'A': 'open'},
                                                    'closes_crm_case': 'fixed'}}},
         'version': 2}
        """);

    assertThat(errors).containsExactlyInAnyOrder(
        "version: unknown key: expected one of [jurisdictions]",
        "jurisdictions.bristol.services: expected a map, found a list",
        "jurisdictions.bristol.attributes.depth: expected a text, found a map",
        "jurisdictions.bristol.statuses.closes_crm_case: expected a list of statuses, "
            + "found string 'fixed'",
        "jurisdictions.bristol.timezones: missing");
  }

  @Test
  void noJurisdictionsIsAnError() {
    assertThat(errors("{'jurisdictions': {}}"))
        .containsExactly("jurisdictions: configure at least one jurisdiction");
    assertThat(errors("{}")).containsExactly("jurisdictions: missing");
  }

  @Test
  void twoSpellingsOfOneStatusAreADuplicate() {
    assertThat(errors("""
        {'jurisdictions': {'bristol': {'services': {'POT': 'Pothole'},
          'statuses': {'crm_to_open311': {'A': 'open'}, 'open311_to_crm': {'fixed': 'X', 'FIXED': 'Y'}},
          'timezones': {'crm': 'UTC', 'open311': 'UTC'}}}}
        """)).containsExactly(
            "jurisdictions.bristol.statuses.open311_to_crm.FIXED: the same status as 'fixed'");
  }

  @Test
  void theExceptionMessageListsEveryError() {
    assertThatThrownBy(() -> Mapping.fromTree(tree("{'jurisdictions': {'x': 1}, 'y': 2}")))
        .isInstanceOf(MappingException.class)
        .hasMessageContaining("2 errors")
        .hasMessageContaining("y: unknown key")
        .hasMessageContaining("jurisdictions.x: expected a map");
  }
}
