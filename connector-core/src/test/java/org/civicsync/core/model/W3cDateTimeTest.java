package org.civicsync.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class W3cDateTimeTest {

  @ParameterizedTest
  @CsvSource({
      "2010-04-14T06:37:38-08:00, 2010-04-14T14:37:38Z",
      "2024-05-01T10:00:00Z, 2024-05-01T10:00:00Z",
      "2018-03-01T12:00:00+00:00, 2018-03-01T12:00:00Z",
      "2014-07-23T11:07:00+0100, 2014-07-23T10:07:00Z",
      "2014-07-23T11:07:00+01, 2014-07-23T10:07:00Z",
      "2014-07-23T11:07+01:00, 2014-07-23T10:07:00Z",
      "2024-05-01T10:00:00.123Z, 2024-05-01T10:00:00.123Z",
      "2024-05-01T10:00:00.123456789123+00:00, 2024-05-01T10:00:00.123456789Z",
      "' 2024-05-01T10:00:00Z ', 2024-05-01T10:00:00Z",
      "2024-05-01 10:00:00Z, 2024-05-01T10:00:00Z"})
  void acceptsEveryZoneSpelling(String value, String instant) {
    assertThat(W3cDateTime.parse(value).toInstant()).isEqualTo(Instant.parse(instant));
  }

  @Test
  void keepsTheOffsetItWasGiven() {
    assertThat(W3cDateTime.parse("2010-04-14T06:37:38-08:00").getOffset())
        .isEqualTo(ZoneOffset.ofHours(-8));
  }

  @Test
  void refusesAMissingZoneQuotingTheValue() {
    assertThatThrownBy(() -> W3cDateTime.parse("2011-02-03T14:18:00"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'2011-02-03T14:18:00'")
        .hasMessageContaining("no zone");
  }

  @ParameterizedTest
  @CsvSource({"2011-02-03 14:18", "yesterday", "2024-13-01T10:00:00Z", "2024-05-01T10:00:00+5",
      "2024-05-01T25:00:00Z", "2024-05-01T10:00:00Q", "''"})
  void refusesNonsenseQuotingTheValue(String value) {
    assertThatThrownBy(() -> W3cDateTime.parse(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + value + "'");
  }

  @Test
  void writesAlwaysWithAZone() {
    assertThat(W3cDateTime.format(OffsetDateTime.parse("2024-05-01T10:00:00.5Z")))
        .isEqualTo("2024-05-01T10:00:00Z");
    assertThat(W3cDateTime.format(OffsetDateTime.parse("2010-04-14T06:37:38-08:00")))
        .isEqualTo("2010-04-14T06:37:38-08:00");
  }
}
