package org.civicsync.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What is masked and, as much, what must survive: ids, times and status codes. */
class RedactionTest {
  @ParameterizedTest
  @ValueSource(strings = {"jane.citizen@example.org", "o.neill+fms@council.gov.uk",
      "JANE@EXAMPLE.CO.UK", "jane%40example.org"})
  void emailAddressesAreMasked(String email) {
    assertThat(Redaction.redact("rejected '" + email + "': duplicate"))
        .isEqualTo("rejected '<email>': duplicate");
  }

  @ParameterizedTest
  @ValueSource(strings = {"+44 7700 900123", "+447700900123", "07700 900123", "07700900123",
      "0117 496 0000", "01174960000", "020 7946 0018", "0117-496-0000", "(0117) 496 0000",
      "+44 (0)117 496 0000", "0044 7700 900123", "+1 (415) 555-0132", "+33 1 23 45 67 89",
      "07700+900123"})
  void phoneNumbersInUkAndInternationalFormsAreMasked(String phone) {
    assertThat(Redaction.redact("phone " + phone + ", call back")).isEqualTo("phone <phone>, call back");
    assertThat(Redaction.redact("phone=" + phone)).isEqualTo("phone=<phone>");
    assertThat(Redaction.redact("{\"phone\":\"" + phone + "\"}")).isEqualTo("{\"phone\":\"<phone>\"}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"CASE-000001", "INC0010001", "REQ-2024-0000012345",
      "123e4567-e89b-12d3-a456-426614174000", "00000000-0000-0000-0000-000000000000",
      "2024-07-01T09:00:00Z", "2024-07-01T09:00:00.123+01:00", "2024-07-01 09:00:00",
      "01/07/2024", "HTTP 503", "HTTP 429 Too Many Requests", "0x8006088a",
      "dv1:1719824400:5f0c0f7a-0000-4000-8000-000000000001", "1719824400000",
      "rest1:2024-07-01T09:00:00Z|c-1000099", "5003000000D8cuIAAR", "127.0.0.1:8080",
      "/api/v2/cases/0123456789", "0.1234567890", "retry after 120 seconds",
      "a1b2c3d4e5f60718293a4b5c6d7e8f90"})
  void idsTimesAndStatusCodesSurvive(String text) {
    assertThat(Redaction.redact("case " + text + " failed")).isEqualTo("case " + text + " failed");
  }

  @Test
  void onlyThePersonalDataInAMessageIsMasked() {
    String crmAnswer = "council-crm: create_case of req-1 (case INC0010001) failed: HTTP 400"
        + " at 2024-07-01T09:00:00Z: INVALID_EMAIL_ADDRESS: jane.citizen@example.org, phone"
        + " 07700 900123 not valid for CASE-000001";

    assertThat(Redaction.redact(crmAnswer)).isEqualTo("council-crm: create_case of req-1 (case"
        + " INC0010001) failed: HTTP 400 at 2024-07-01T09:00:00Z: INVALID_EMAIL_ADDRESS: <email>,"
        + " phone <phone> not valid for CASE-000001");
  }

  @Test
  void describeMasksAndCutsAndNamesAnErrorWithoutAMessage() {
    assertThat(Redaction.describe(new IllegalStateException("a@example.org " + "x".repeat(600)), 20))
        .isEqualTo("<email> " + "x".repeat(12) + "…");
    assertThat(Redaction.describe(new IllegalStateException(), 40)).isEqualTo("IllegalStateException");
    assertThat(Redaction.toString(new IllegalStateException("from +44 7700 900123")))
        .isEqualTo("java.lang.IllegalStateException: from <phone>");
  }
}
