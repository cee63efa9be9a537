package org.civicsync.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusTest {

  @ParameterizedTest
  @CsvSource({
      "OPEN, OPEN", "open, OPEN", "in_progress, IN_PROGRESS", "IN PROGRESS, IN_PROGRESS",
      "'  Action Scheduled ', ACTION_SCHEDULED", "not councils responsibility, NOT_COUNCILS_RESPONSIBILITY",
      "NO_FURTHER_ACTION, NO_FURTHER_ACTION", "for triage, FOR_TRIAGE", "UNCHANGED, UNCHANGED",
      "reopen, REOPEN", "internal-referral, INTERNAL_REFERRAL", "fixed, FIXED"})
  void parsesAnyCaseAndSeparator(String word, Status expected) {
    assertThat(Status.parse(word)).isEqualTo(expected);
  }

  @Test
  void unknownWordIsAnErrorThatQuotesIt() {
    assertThatThrownBy(() -> Status.parse("mended"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'mended'")
        .hasMessageContaining("IN_PROGRESS");
  }

  @Test
  void closedStatusesFollowFixMyStreetsPlainProjection() {
    EnumSet<Status> closed = EnumSet.noneOf(Status.class);
    for (Status s : Status.values()) {
      if (s.isClosed()) {
        closed.add(s);
      }
    }
    assertThat(closed).containsExactlyInAnyOrder(Status.CLOSED, Status.FIXED, Status.DUPLICATE,
        Status.NOT_COUNCILS_RESPONSIBILITY, Status.NO_FURTHER_ACTION, Status.INTERNAL_REFERRAL,
        Status.CANCELLED, Status.FOR_TRIAGE);
    assertThat(Status.FIXED.plain()).isEqualTo(Status.CLOSED);
    assertThat(Status.IN_PROGRESS.plain()).isEqualTo(Status.OPEN);
    assertThat(Status.REOPEN.plain()).isEqualTo(Status.OPEN);
    assertThat(Status.UNCHANGED.plain()).isEqualTo(Status.UNCHANGED);
    assertThat(Status.UNCHANGED.changesState()).isFalse();
  }

  @Test
  void fixedAndClosedStayDistinct() {
    assertThat(Status.parse("fixed")).isNotEqualTo(Status.parse("closed"));
    assertThat(Status.FIXED.wireName()).isEqualTo("fixed");
    assertThat(Status.NOT_COUNCILS_RESPONSIBILITY.wireName()).isEqualTo("not_councils_responsibility");
  }
}
