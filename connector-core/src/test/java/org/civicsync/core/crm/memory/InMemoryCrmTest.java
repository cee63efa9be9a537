package org.civicsync.core.crm.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.Service;
import org.civicsync.core.model.ServiceType;
import org.civicsync.core.model.Status;
import org.civicsync.core.spi.AppliedUpdate;
import org.civicsync.core.spi.CaseUpdate;
import org.civicsync.core.spi.CreatedCase;
import org.civicsync.core.spi.CrmCase;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmNote;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.core.spi.NewCase;
import org.civicsync.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

class InMemoryCrmTest {
  private final MutableClock clock = MutableClock.at("2024-05-01T09:00:00Z");
  private final InMemoryCrm crm = InMemoryCrm.builder().name("test-crm").clock(clock)
      .closedStatusCodes(Set.of("CLOSED", "RESOLVED")).build();

  static NewCase newCase(String key, String externalReference) {
    Report report = Report.builder().id(externalReference).serviceCode("POT")
        .description("Pothole outside 12 Acacia Avenue, reported by Jane Smith").build();
    return new NewCase(key, externalReference, "Pothole", Map.of("Depth__c", List.of("5cm")),
        report);
  }

  @Test
  void newCaseStartsAtVersionOneWithTheInitialStatusAndClockTime() {
    CreatedCase created = crm.create(newCase("fms-1", "req-1"));

    CrmCase state = crm.find(created.caseId()).orElseThrow();
    assertThat(created.version()).isEqualTo(1);
    assertThat(created.alreadyExisted()).isFalse();
    assertThat(state.statusCode()).isEqualTo("NEW");
    assertThat(state.closed()).isFalse();
    assertThat(state.caseType()).isEqualTo("Pothole");
    assertThat(state.externalReference()).contains("req-1");
    assertThat(state.modified()).isEqualTo(Instant.parse("2024-05-01T09:00:00Z"));
    assertThat(crm.creation(created.caseId()).orElseThrow().fields())
        .containsEntry("Depth__c", List.of("5cm"));
  }

  @Test
  void everyChangeIncrementsTheVersionAndTakesTheClocksTime() {
    String caseId = crm.create(newCase("fms-1", "req-1")).caseId();

    clock.advance(Duration.ofMinutes(1));
    long afterStatus = crm.officer().changeStatus(caseId, "INP");
    clock.advance(Duration.ofMinutes(1));
    long afterNote = crm.officer().addNote(caseId, "Crew booked");
    clock.advance(Duration.ofMinutes(1));
    AppliedUpdate applied = crm.apply(CaseUpdate.note(caseId, "u-1", "Still there"));

    assertThat(List.of(afterStatus, afterNote, applied.version())).containsExactly(2L, 3L, 4L);
    CrmCase state = crm.find(caseId).orElseThrow();
    assertThat(state.version()).isEqualTo(4);
    assertThat(state.statusCode()).isEqualTo("INP");
    assertThat(state.modified()).isEqualTo(Instant.parse("2024-05-01T09:03:00Z"));
  }

  @Test
  void creatingWithAnExistingIdempotencyKeyReturnsTheExistingCase() {
    CreatedCase first = crm.create(newCase("fms-1", "req-1"));
    crm.officer().changeStatus(first.caseId(), "INP");

    CreatedCase again = crm.create(newCase("fms-1", "req-1"));

    assertThat(again.caseId()).isEqualTo(first.caseId());
    assertThat(again.version()).isEqualTo(2);
    assertThat(again.alreadyExisted()).isTrue();
    assertThat(crm.createCount("req-1")).isEqualTo(1);
    assertThat(crm.cases()).hasSize(1);
  }

  @Test
  void withoutUpsertEveryCreateMakesACaseAndTheCountShowsTheDuplicate() {
    InMemoryCrm noUpsert = InMemoryCrm.builder().clock(clock).honourIdempotencyKeys(false).build();
    String first = noUpsert.create(newCase("fms-1", "req-1")).caseId();
    String second = noUpsert.create(newCase("fms-1", "req-1")).caseId();

    assertThat(second).isNotEqualTo(first);
    assertThat(noUpsert.createCount("req-1")).isEqualTo(2);
    assertThat(noUpsert.createCount("req-2")).isZero();
    assertThat(noUpsert.findByExternalReference("req-1").orElseThrow().caseId())
        .as("the oldest of the duplicates").isEqualTo(first);
  }

  @Test
  void findByExternalReferenceIsEmptyForAnUnknownReference() {
    crm.create(newCase("fms-1", "req-1"));

    assertThat(crm.findByExternalReference("req-1")).isPresent();
    assertThat(crm.findByExternalReference("req-9")).isEmpty();
  }

  @Test
  void applyingTheSameUpdateIdTwiceAddsOneNoteAndKeepsTheVersion() {
    String caseId = crm.create(newCase("fms-1", "req-1")).caseId();

    AppliedUpdate first = crm.apply(CaseUpdate.note(caseId, "u-1", "Still there"));
    AppliedUpdate resent = crm.apply(CaseUpdate.note(caseId, "u-1", "Still there"));

    assertThat(first).isEqualTo(new AppliedUpdate(2, false));
    assertThat(resent).isEqualTo(new AppliedUpdate(2, true));
    List<CrmNote> notes = crm.notes(caseId);
    assertThat(notes).singleElement().satisfies(note -> {
      assertThat(note.text()).isEqualTo("Still there");
      assertThat(note.updateId()).contains("u-1");
    });
    assertThat(crm.find(caseId).orElseThrow().version()).isEqualTo(2);
  }

  @Test
  void closingSetsTheClosedFlagAndTheDefaultClosingCode() {
    String caseId = crm.create(newCase("fms-1", "req-1")).caseId();

    crm.apply(CaseUpdate.close(caseId, "u-1", Status.FIXED, Optional.empty())
        .withNote("Fixed, says the citizen"));

    CrmCase state = crm.find(caseId).orElseThrow();
    assertThat(state.closed()).isTrue();
    assertThat(state.statusCode()).isEqualTo("CLOSED");
    assertThat(crm.notes(caseId)).hasSize(1);
  }

  @Test
  void theClosedFlagFollowsTheStatusCodeAnOfficerSets() {
    String caseId = crm.create(newCase("fms-1", "req-1")).caseId();

    crm.officer().changeStatus(caseId, "RESOLVED");
    assertThat(crm.find(caseId).orElseThrow().closed()).isTrue();

    crm.officer().changeStatus(caseId, "REOPENED");
    assertThat(crm.find(caseId).orElseThrow().closed()).isFalse();

    crm.officer().close(caseId, "NO_ACTION");
    assertThat(crm.find(caseId).orElseThrow().closed())
        .as("an explicit close closes even with a code not in the closed set").isTrue();
  }

  @Test
  void applyingToAMissingCaseIsNotFoundNamingTheCase() {
    assertThatThrownBy(() -> crm.apply(CaseUpdate.status("CASE-404", "u-1", "INP")))
        .isInstanceOfSatisfying(CrmException.class, e -> {
          assertThat(e.kind()).isEqualTo(CrmException.Kind.NOT_FOUND);
          assertThat(e.caseId()).contains("CASE-404");
          assertThat(e.getMessage()).contains("test-crm", "apply update", "CASE-404");
        });
  }

  @Test
  void anUnknownCaseTypeIsAPermanentFailureWhenTheCrmHasACatalogue() {
    Service pothole = new Service("Pothole", "Pothole", Optional.empty(), false,
        ServiceType.REALTIME, List.of(), List.of());
    InMemoryCrm strict = InMemoryCrm.builder().clock(clock).services(List.of(pothole)).build();
    NewCase graffiti = new NewCase("k", "req-1", "Graffiti", Map.of(),
        Report.builder().build());

    assertThat(strict.services()).containsExactly(pothole);
    assertThat(strict.create(newCase("fms-1", "req-2")).caseId()).isNotBlank();
    assertThatThrownBy(() -> strict.create(graffiti))
        .isInstanceOfSatisfying(CrmException.class, e -> {
          assertThat(e.kind()).isEqualTo(CrmException.Kind.PERMANENT);
          assertThat(e.getMessage()).contains("Graffiti", "req-1");
        });
    assertThat(strict.createCount("req-1")).isZero();
  }

  @Test
  void anUnknownCaseIsNotFoundByAnOfficer() {
    assertThatThrownBy(() -> crm.officer().addNote("CASE-404", "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CASE-404");
  }
}
