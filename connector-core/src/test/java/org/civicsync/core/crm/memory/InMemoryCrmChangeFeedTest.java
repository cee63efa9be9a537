package org.civicsync.core.crm.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.civicsync.core.crm.memory.InMemoryCrmTest.newCase;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.civicsync.core.model.Status;
import org.civicsync.core.spi.CaseUpdate;
import org.civicsync.core.spi.ChangeCursor;
import org.civicsync.core.spi.ChangePage;
import org.civicsync.core.spi.CrmChange;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

class InMemoryCrmChangeFeedTest {
  private final MutableClock clock = MutableClock.at("2024-05-01T09:00:00Z");
  private final InMemoryCrm crm = InMemoryCrm.builder().name("test-crm").clock(clock).build();

  /** Reads the whole feed in pages, storing the cursor as text between pages as the engine does. */
  private List<CrmChange> readAll(String cursorText, int pageSize, List<String> cursorsSeen) {
    List<CrmChange> all = new ArrayList<>();
    ChangePage page;
    do {
      page = crm.changesSince(ChangeCursor.of(cursorText), pageSize);
      assertThat(page.changes().size()).isLessThanOrEqualTo(pageSize);
      all.addAll(page.changes());
      cursorText = page.next().value();
      cursorsSeen.add(cursorText);
    } while (page.more());
    return all;
  }

  @Test
  void pagesWithIdenticalModifiedTimesLoseAndRepeatNothing() {
    List<String> created = new ArrayList<>();
    for (int i = 1; i <= 7; i++) {
      created.add(crm.create(newCase("fms-" + i, "req-" + i)).caseId());
    }
    List<String> cursors = new ArrayList<>();

    List<CrmChange> read = readAll(crm.beginning().value(), 3, cursors);

    assertThat(read).extracting(CrmChange::modified).containsOnly(clock.instant());
    assertThat(read).extracting(CrmChange::caseId).containsExactlyElementsOf(created);
    assertThat(cursors).hasSize(3);
  }

  @Test
  void aChangeAtTheSameInstantAfterAPageWasReadIsListedNext() {
    String a = crm.create(newCase("fms-1", "req-1")).caseId();
    String b = crm.create(newCase("fms-2", "req-2")).caseId();
    ChangePage first = crm.changesSince(crm.beginning(), 10);
    assertThat(first.more()).isFalse();

    crm.officer().changeStatus(a, "INP");
    ChangePage second = crm.changesSince(first.next(), 10);

    assertThat(second.changes()).singleElement().satisfies(change -> {
      assertThat(change.caseId()).isEqualTo(a);
      assertThat(change.version()).isEqualTo(2);
      assertThat(change.modified()).isEqualTo(first.changes().get(1).modified());
    });
    assertThat(first.changes()).extracting(CrmChange::caseId).containsExactly(a, b);
  }

  @Test
  void anEmptyPageKeepsTheCursor() {
    crm.create(newCase("fms-1", "req-1"));
    ChangePage page = crm.changesSince(crm.beginning(), 10);

    ChangePage nothing = crm.changesSince(page.next(), 10);

    assertThat(nothing.changes()).isEmpty();
    assertThat(nothing.more()).isFalse();
    assertThat(nothing.next()).isEqualTo(page.next());
  }

  @Test
  void changesCarryVersionStatusClosedFlagReferenceNotesAndTheirOrigin() {
    String fromEngine = crm.create(newCase("fms-1", "req-1")).caseId();
    String byPhone = crm.officer().raiseCase("Graffiti");
    clock.advance(Duration.ofMinutes(5));
    crm.officer().addNote(byPhone, "Called back");
    crm.apply(CaseUpdate.close(fromEngine, "u-7", Status.FIXED, Optional.of("CLOSED"))
        .withNote("Citizen says fixed"));

    List<CrmChange> changes = crm.changesSince(crm.beginning(), 10).changes();

    assertThat(changes).hasSize(4);
    CrmChange officerNote = changes.get(2);
    assertThat(officerNote.crmCase().externalReference()).isEmpty();
    assertThat(officerNote.crmCase().caseType()).isEqualTo("Graffiti");
    assertThat(officerNote.note().orElseThrow().text()).isEqualTo("Called back");
    assertThat(officerNote.note().orElseThrow().updateId()).isEmpty();
    assertThat(officerNote.updateId()).isEmpty();
    CrmChange close = changes.get(3);
    assertThat(close.crmCase().externalReference()).contains("req-1");
    assertThat(close.crmCase().statusCode()).isEqualTo("CLOSED");
    assertThat(close.crmCase().closed()).isTrue();
    assertThat(close.version()).isEqualTo(2);
    assertThat(close.modified()).isEqualTo(Instant.parse("2024-05-01T09:05:00Z"));
    assertThat(close.updateId()).contains("u-7");
    assertThat(close.note().orElseThrow().updateId()).contains("u-7");
  }

  @Test
  void everyStepOfACaseIsListedNotOnlyItsLatestState() {
    String caseId = crm.create(newCase("fms-1", "req-1")).caseId();
    crm.officer().changeStatus(caseId, "INP");
    crm.officer().close(caseId, "CLOSED");

    assertThat(crm.changesSince(crm.beginning(), 10).changes())
        .extracting(c -> c.crmCase().statusCode() + "@" + c.version())
        .containsExactly("NEW@1", "INP@2", "CLOSED@3");
  }

  @Test
  void aCursorAtATimeListsEveryChangeFromThatTimeOn() {
    crm.create(newCase("fms-1", "req-1"));
    Instant later = clock.advance(Duration.ofMinutes(10));
    String second = crm.create(newCase("fms-2", "req-2")).caseId();
    clock.advance(Duration.ofMinutes(10));
    String third = crm.create(newCase("fms-3", "req-3")).caseId();

    ChangePage page = crm.changesSince(crm.cursorAt(later), 10);

    assertThat(page.changes()).extracting(CrmChange::caseId).containsExactly(second, third);
  }

  @Test
  void aCursorThisCrmDidNotMakeIsAPermanentFailure() {
    assertThatThrownBy(() -> crm.changesSince(ChangeCursor.of("2024-05-01T00:00:00Z"), 10))
        .isInstanceOfSatisfying(CrmException.class,
            e -> assertThat(e.kind()).isEqualTo(CrmException.Kind.PERMANENT));
  }

  @Test
  void aLimitBelowOneIsRefused() {
    assertThatThrownBy(() -> crm.changesSince(crm.beginning(), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
  }
}
