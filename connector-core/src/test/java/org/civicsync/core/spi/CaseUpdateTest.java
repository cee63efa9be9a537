package org.civicsync.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.civicsync.core.model.Status;
import org.junit.jupiter.api.Test;

class CaseUpdateTest {

  @Test
  void anUpdateMustDoSomething() {
    assertThatThrownBy(() -> new CaseUpdate("C1", "u1", Optional.empty(), Optional.empty(),
        Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("u1");
  }

  @Test
  void aCloseReasonMustBeAClosedStatus() {
    assertThatThrownBy(() -> CaseUpdate.close("C1", "u1", Status.IN_PROGRESS, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IN_PROGRESS");
    assertThat(CaseUpdate.close("C1", "u1", Status.FIXED, Optional.empty()).closes()).isTrue();
  }

  @Test
  void toStringLeavesOutTheNoteText() {
    assertThat(CaseUpdate.note("C1", "u1", "call me on 07700 900123").toString())
        .doesNotContain("07700").contains("u1", "C1");
  }

  @Test
  void retryAfterOnlyFitsATransientFailure() {
    assertThatThrownBy(() -> CrmException.of(CrmException.Kind.PERMANENT, "crm",
        CrmOperation.CREATE_CASE).retryAfter(Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PERMANENT");
  }
}
