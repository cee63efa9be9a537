package org.civicsync.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContactTest {

  @Test
  void toStringNamesFieldsButNeverTheirValues() {
    Contact contact = Contact.of("Jane", "Citizen", "jane@example.org", "01632 960001")
        .withDeviceId("dev-1");
    String text = contact.toString();
    assertThat(text).contains("email=<redacted>", "phone=<redacted>", "device_id=<redacted>");
    assertThat(text).doesNotContain("Jane", "Citizen", "jane@example.org", "01632", "dev-1");
  }

  @Test
  void reportToStringLeavesOutContactAndDescription() {
    Report report = Report.builder().id("42").serviceCode("POT").description("outside 3 Acacia Ave")
        .contact(Contact.of("Jane", "Citizen", "jane@example.org", null))
        .attribute(Report.FIXMYSTREET_ID, "1234").build();
    assertThat(report.toString()).contains("42", "POT", "1234")
        .doesNotContain("Jane", "jane@example.org", "Acacia");
    assertThat(report.fixMyStreetId()).contains("1234");
  }

  @Test
  void blankValuesAreAbsent() {
    Contact contact = Contact.of("", "  ", null, "123");
    assertThat(contact.firstName()).isEmpty();
    assertThat(contact.lastName()).isEmpty();
    assertThat(contact.phone()).contains("123");
  }
}
