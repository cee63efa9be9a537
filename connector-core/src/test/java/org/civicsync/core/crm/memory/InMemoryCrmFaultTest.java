package org.civicsync.core.crm.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.civicsync.core.crm.memory.InMemoryCrmTest.newCase;

import java.time.Duration;
import org.civicsync.core.spi.CaseUpdate;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

class InMemoryCrmFaultTest {
  private final MutableClock clock = MutableClock.at("2024-05-01T09:00:00Z");
  private final InMemoryCrm crm = InMemoryCrm.builder().name("test-crm").clock(clock).build();

  @Test
  void theNextNCallsFailWithTheGivenKindAndChangeNothing() {
    crm.faults().failNext(CrmOperation.CREATE_CASE, 2, CrmException.Kind.TRANSIENT);

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> crm.create(newCase("fms-1", "req-1")))
          .isInstanceOfSatisfying(CrmException.class, e -> {
            assertThat(e.kind()).isEqualTo(CrmException.Kind.TRANSIENT);
            assertThat(e.isRetryable()).isTrue();
            assertThat(e.operation()).isEqualTo(CrmOperation.CREATE_CASE);
            assertThat(e.externalReference()).contains("req-1");
          });
    }
    assertThat(crm.cases()).isEmpty();
    assertThat(crm.faults().pending(CrmOperation.CREATE_CASE)).isZero();

    assertThat(crm.create(newCase("fms-1", "req-1")).caseId()).isNotBlank();
    assertThat(crm.createCount("req-1")).isEqualTo(1);
    assertThat(crm.calls(CrmOperation.CREATE_CASE)).isEqualTo(3);
  }

  @Test
  void faultsOfOneOperationDoNotTouchAnother() {
    crm.faults().failNext(CrmOperation.APPLY_UPDATE, 1, CrmException.Kind.AUTHENTICATION);

    String caseId = crm.create(newCase("fms-1", "req-1")).caseId();
    assertThatThrownBy(() -> crm.apply(CaseUpdate.note(caseId, "u-1", "hello")))
        .isInstanceOfSatisfying(CrmException.class, e -> {
          assertThat(e.kind()).isEqualTo(CrmException.Kind.AUTHENTICATION);
          assertThat(e.isRetryable()).isFalse();
          assertThat(e.caseId()).contains(caseId);
        });
    assertThat(crm.notes(caseId)).isEmpty();
  }

  @Test
  void aTransientFaultCarriesRetryAfter() {
    crm.faults().failNextTransiently(CrmOperation.LIST_CHANGES, 1, Duration.ofSeconds(30));

    assertThatThrownBy(() -> crm.changesSince(crm.beginning(), 10))
        .isInstanceOfSatisfying(CrmException.class, e -> {
          assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
          assertThat(e.getMessage()).contains("test-crm", "list changes", "PT30S");
        });
    assertThat(crm.changesSince(crm.beginning(), 10).changes()).isEmpty();
  }

  @Test
  void anAppliedCreateWhoseAnswerIsLostIsFoundByExternalReference() {
    crm.faults().applyThenLoseAnswer(CrmOperation.CREATE_CASE, 1);

    assertThatThrownBy(() -> crm.create(newCase("fms-1", "req-1")))
        .isInstanceOfSatisfying(CrmException.class,
            e -> assertThat(e.kind()).isEqualTo(CrmException.Kind.OUTCOME_UNKNOWN));

    assertThat(crm.findByExternalReference("req-1")).isPresent();
    assertThat(crm.createCount("req-1")).isEqualTo(1);
  }

  @Test
  void anAppliedUpdateWhoseAnswerIsLostIsAppliedOnceWhenResent() {
    String caseId = crm.create(newCase("fms-1", "req-1")).caseId();
    crm.faults().applyThenLoseAnswer(CrmOperation.APPLY_UPDATE, 1);

    assertThatThrownBy(() -> crm.apply(CaseUpdate.note(caseId, "u-1", "hello")))
        .isInstanceOf(CrmException.class);
    assertThat(crm.apply(CaseUpdate.note(caseId, "u-1", "hello")).alreadyApplied()).isTrue();

    assertThat(crm.notes(caseId)).hasSize(1);
  }

  @Test
  void faultMessagesNameTheSystemOperationAndReferenceButNoPersonalData() {
    crm.faults().failNext(CrmOperation.CREATE_CASE, 1, CrmException.Kind.PERMANENT);

    assertThatThrownBy(() -> crm.create(newCase("fms-1", "req-1")))
        .hasMessageContaining("test-crm")
        .hasMessageContaining("create case")
        .hasMessageContaining("req-1")
        .hasMessageNotContaining("Acacia")
        .hasMessageNotContaining("Jane");
  }

  @Test
  void clearedFaultsNoLongerFire() {
    crm.faults().failNext(CrmOperation.FIND_CASE, 3, CrmException.Kind.TRANSIENT);
    crm.faults().clear();

    assertThat(crm.findByExternalReference("req-1")).isEmpty();
  }
}
