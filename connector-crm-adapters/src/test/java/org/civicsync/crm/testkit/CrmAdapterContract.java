package org.civicsync.crm.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.civicsync.core.model.Contact;
import org.civicsync.core.model.Location;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.Service;
import org.civicsync.core.model.Status;
import org.civicsync.core.spi.AppliedUpdate;
import org.civicsync.core.spi.CaseCreation;
import org.civicsync.core.spi.CaseDetails;
import org.civicsync.core.spi.CaseLookup;
import org.civicsync.core.spi.CaseUpdate;
import org.civicsync.core.spi.CaseUpdates;
import org.civicsync.core.spi.ChangeCursor;
import org.civicsync.core.spi.ChangeFeed;
import org.civicsync.core.spi.ChangePage;
import org.civicsync.core.spi.CreatedCase;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmCapability;
import org.civicsync.core.spi.CrmCase;
import org.civicsync.core.spi.CrmChange;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.core.spi.NewCase;
import org.civicsync.core.spi.ServiceCatalogue;
import org.junit.jupiter.api.Test;

/**
 * What every CRM adapter promises the engine, as tests. An adapter's test extends this class and
 * supplies the system under test through the abstract hooks: a WireMock stub set that answers as
 * the vendor documents, or a real sandbox. Each test starts from an empty system (or one where
 * the references the kit uses are fresh).
 *
 * <p>A check the adapter's system cannot take part in (no tokens, a failure a sandbox cannot
 * produce) is skipped, not passed: the hook answers "not supported" and the test is aborted
 * with an assumption, so the report shows it.
 */
public abstract class CrmAdapterContract {

  // ---- hooks: the system under test ----

  /** The adapter under test, connected to the system; the same object for the whole test. */
  protected abstract CrmAdapter adapter();

  /** An adapter of the same system whose credentials the system refuses. */
  protected abstract CrmAdapter adapterWithWrongCredentials();

  /** A case type the system accepts. */
  protected abstract String caseType();

  /** How many cases the system holds for {@code externalReference}: 1 is "exactly once". */
  protected abstract int casesOnSystem(String externalReference);

  /**
   * Makes {@code count} cases on the system directly (as an officer would, not through the
   * adapter), all with the same modified time as the system records it, and answers their ids.
   */
  protected abstract List<String> raiseCasesAtOneInstant(int count);

  /** The texts of the notes the system holds on {@code caseId}, oldest first. */
  protected abstract List<String> notesOnSystem(String caseId);

  /** Whether the system counts {@code caseId} as closed. */
  protected abstract boolean closedOnSystem(String caseId);

  /**
   * Arranges that the next call the adapter makes for {@code during} meets {@code failure}.
   *
   * @return false when the system cannot produce that failure; the check is then skipped
   */
  protected abstract boolean failNext(Failure failure, CrmOperation during);

  /** How many access tokens the system has issued so far; empty for a system without tokens. */
  protected OptionalInt tokensIssued() {
    return OptionalInt.empty();
  }

  /** Texts that must never appear in an exception message (passwords, client secrets). */
  protected List<String> secrets() {
    return List.of();
  }

  /**
   * Whether the system refuses a lookup made with wrong credentials. False for a system whose
   * reads are public (GeoReport v2 guards only its POSTs with the {@code api_key}): the wrong
   * credentials check is then skipped.
   */
  protected boolean lookupNeedsCredentials() {
    return true;
  }

  /** A service code the system's {@link ServiceCatalogue} lists; empty to check only its shape. */
  protected Optional<String> listedService() {
    return Optional.empty();
  }

  /** An id of the system's form that names no case. */
  protected String unknownCaseId() {
    return "no-such-case";
  }

  /**
   * Whether the system keeps a created case's location, so that {@link CaseDetails} gives it back.
   * False for an adapter whose create writes no location field.
   */
  protected boolean keepsLocation() {
    return true;
  }

  /** A case to create; override to add fields the system requires. */
  protected NewCase newCase(String idempotencyKey, String externalReference) {
    Report report = Report.builder().id(externalReference).serviceCode("POT")
        .description("Pothole outside 12 Acacia Avenue").build();
    return new NewCase(idempotencyKey, externalReference, caseType(), Map.of(), report);
  }

  // ---- creating and finding ----

  @Test
  void createWithTheSameIdempotencyKeyAnswersTheSameCaseAndCreatesOnce() {
    CaseCreation creation = required(CaseCreation.class);

    CreatedCase first = creation.create(newCase("fms-101", "req-101"));
    CreatedCase second = creation.create(newCase("fms-101", "req-101"));

    assertThat(second.caseId()).isEqualTo(first.caseId());
    assertThat(first.alreadyExisted()).isFalse();
    assertThat(second.alreadyExisted()).isTrue();
    assertThat(casesOnSystem("req-101")).isEqualTo(1);
  }

  @Test
  void aCreatedCaseIsFoundByItsExternalReference() {
    CreatedCase created = required(CaseCreation.class).create(newCase("fms-102", "req-102"));

    Optional<CrmCase> found = required(CaseLookup.class).findByExternalReference("req-102");

    assertThat(found).hasValueSatisfying(c -> {
      assertThat(c.caseId()).isEqualTo(created.caseId());
      assertThat(c.externalReference()).contains("req-102");
      assertThat(c.closed()).isFalse();
      assertThat(c.version()).isEqualTo(created.version());
    });
  }

  @Test
  void anUnknownExternalReferenceFindsNothing() {
    required(CaseCreation.class).create(newCase("fms-103", "req-103"));

    assertThat(required(CaseLookup.class).findByExternalReference("req-999")).isEmpty();
  }

  // ---- the change feed ----

  @Test
  void pagesThroughChangesWithTheSameModifiedTimeWithoutLossOrRepeat() {
    ChangeFeed feed = required(ChangeFeed.class);
    List<String> raised = raiseCasesAtOneInstant(5);

    List<ChangePage> pages = new ArrayList<>();
    ChangeCursor cursor = feed.beginning();
    ChangePage page;
    do {
      // As the engine does: the cursor goes through its text form between pages.
      page = feed.changesSince(ChangeCursor.of(cursor.value()), 2);
      pages.add(page);
      cursor = page.next();
    } while (page.more() && pages.size() < 10);

    List<String> listed = pages.stream()
        .flatMap(p -> p.changes().stream()).map(CrmChange::caseId).toList();
    assertThat(listed).containsExactlyInAnyOrderElementsOf(raised).doesNotHaveDuplicates();
    assertThat(pages).extracting(p -> p.changes().size()).containsExactly(2, 2, 1);
    assertThat(pages).extracting(ChangePage::more).containsExactly(true, true, false);
    assertThat(pages.stream().flatMap(p -> p.changes().stream()).map(CrmChange::modified)
        .distinct()).hasSize(1);
  }

  @Test
  void readingOnFromTheLastCursorAnswersNothingAndKeepsTheCursor() {
    ChangeFeed feed = required(ChangeFeed.class);
    raiseCasesAtOneInstant(2);
    ChangePage all = feed.changesSince(feed.beginning(), 10);
    assertThat(all.changes()).hasSize(2);

    ChangePage nothing = feed.changesSince(all.next(), 10);

    assertThat(nothing.changes()).isEmpty();
    assertThat(nothing.more()).isFalse();
    assertThat(nothing.next()).isEqualTo(all.next());
  }

  @Test
  void aCursorAtAChangesTimeListsThatChangeAgain() {
    ChangeFeed feed = required(ChangeFeed.class);
    List<String> raised = raiseCasesAtOneInstant(3);
    ChangePage all = feed.changesSince(feed.beginning(), 10);
    CrmChange last = all.changes().get(all.changes().size() - 1);

    // The engine's overlap window: re-read from a time, never lose what was modified then.
    ChangePage again = feed.changesSince(feed.cursorAt(last.modified()), 10);

    assertThat(again.changes()).extracting(CrmChange::caseId)
        .containsExactlyInAnyOrderElementsOf(raised);
  }

  @Test
  void changesMadeThroughTheAdapterAreListedWithGrowingVersions() {
    String caseId = required(CaseCreation.class).create(newCase("fms-104", "req-104")).caseId();
    AppliedUpdate noted = required(CaseUpdates.class)
        .apply(CaseUpdate.note(caseId, "upd-1", "Inspected"));
    ChangeFeed feed = required(ChangeFeed.class);

    List<CrmChange> changes = feed.changesSince(feed.beginning(), 50).changes().stream()
        .filter(c -> c.caseId().equals(caseId)).toList();

    assertThat(changes).isNotEmpty();
    assertThat(changes.get(changes.size() - 1).version()).isEqualTo(noted.version());
    assertThat(changes.get(changes.size() - 1).crmCase().externalReference()).contains("req-104");
  }

  // ---- updates ----

  @Test
  void aNoteIsWrittenOncePerUpdateId() {
    CreatedCase created = required(CaseCreation.class).create(newCase("fms-105", "req-105"));
    CaseUpdates updates = required(CaseUpdates.class);

    AppliedUpdate first = updates.apply(CaseUpdate.note(created.caseId(), "upd-7", "Crew sent"));
    AppliedUpdate again = updates.apply(CaseUpdate.note(created.caseId(), "upd-7", "Crew sent"));

    assertThat(first.alreadyApplied()).isFalse();
    assertThat(first.version()).isGreaterThan(created.version());
    assertThat(again.alreadyApplied()).isTrue();
    assertThat(again.version()).isEqualTo(first.version());
    assertThat(notesOnSystem(created.caseId())).singleElement()
        .satisfies(text -> assertThat(text).contains("Crew sent"));
  }

  @Test
  void closingClosesTheCaseOnTheSystem() {
    CreatedCase created = required(CaseCreation.class).create(newCase("fms-106", "req-106"));

    AppliedUpdate closed = required(CaseUpdates.class).apply(CaseUpdate.close(
        created.caseId(), "upd-8", Status.FIXED, Optional.empty()).withNote("Filled"));

    assertThat(closedOnSystem(created.caseId())).isTrue();
    assertThat(closed.version()).isGreaterThan(created.version());
    assertThat(required(CaseLookup.class).findByExternalReference("req-106"))
        .hasValueSatisfying(c -> assertThat(c.closed()).isTrue());
  }

  @Test
  void anUpdateToAnUnknownCaseIsNotFound() {
    CaseUpdates updates = required(CaseUpdates.class);

    CrmException e = catchThrowableOfType(CrmException.class,
        () -> updates.apply(CaseUpdate.note(unknownCaseId(), "upd-9", "Hello")));

    assertThat(e).isNotNull();
    assertThat(e.kind()).isEqualTo(CrmException.Kind.NOT_FOUND);
    assertThat(e.caseId()).contains(unknownCaseId());
  }

  // ---- failures ----

  @Test
  void anExpiredTokenIsRefreshedOnceAndTheCallSucceeds() {
    assumeTrue(tokensIssued().isPresent(), "the system issues no tokens");
    CaseLookup lookup = required(CaseLookup.class);
    required(CaseCreation.class).create(newCase("fms-107", "req-107"));
    int before = tokensIssued().getAsInt();
    assumeTrue(failNext(Failure.EXPIRED_TOKEN, CrmOperation.FIND_CASE), "cannot expire tokens");

    Optional<CrmCase> found = lookup.findByExternalReference("req-107");

    assertThat(found).isPresent();
    assertThat(tokensIssued().getAsInt()).isEqualTo(before + 1);
  }

  @Test
  void tooManyRequestsIsTransientWithTheRetryAfter() {
    CaseLookup lookup = required(CaseLookup.class);
    assumeTrue(failNext(Failure.TOO_MANY_REQUESTS, CrmOperation.FIND_CASE), "cannot answer 429");

    CrmException e = failure(() -> lookup.findByExternalReference("req-108"));

    assertThat(e.kind()).isEqualTo(CrmException.Kind.TRANSIENT);
    assertThat(e.retryAfter()).contains(Failure.RETRY_AFTER);
    assertThat(e.system()).isEqualTo(adapter().name());
  }

  @Test
  void aServerErrorIsTransient() {
    ChangeFeed feed = required(ChangeFeed.class);
    assumeTrue(failNext(Failure.SERVER_ERROR, CrmOperation.LIST_CHANGES), "cannot answer 5xx");

    CrmException e = failure(() -> feed.changesSince(feed.beginning(), 10));

    assertThat(e.kind()).isEqualTo(CrmException.Kind.TRANSIENT);
    assertThat(e.operation()).isEqualTo(CrmOperation.LIST_CHANGES);
  }

  @Test
  void aTimeoutOnCreateIsOutcomeUnknownAndTheRetryStillCreatesOnce() {
    CaseCreation creation = required(CaseCreation.class);
    assumeTrue(failNext(Failure.TIMEOUT, CrmOperation.CREATE_CASE), "cannot time out");

    CrmException e = failure(() -> creation.create(newCase("fms-109", "req-109")));
    // What the engine does next: settle by lookup, create again only when nothing was made.
    Optional<CrmCase> settled = required(CaseLookup.class).findByExternalReference("req-109");
    String caseId = settled.map(CrmCase::caseId)
        .orElseGet(() -> creation.create(newCase("fms-109", "req-109")).caseId());

    assertThat(e.kind()).isEqualTo(CrmException.Kind.OUTCOME_UNKNOWN);
    assertThat(e.externalReference()).contains("req-109");
    assertThat(creation.create(newCase("fms-109", "req-109")).caseId()).isEqualTo(caseId);
    assertThat(casesOnSystem("req-109")).isEqualTo(1);
  }

  @Test
  void wrongCredentialsAreAnAuthenticationErrorThatNamesTheSystemAndNoSecret() {
    assumeTrue(lookupNeedsCredentials(), "the system's reads need no credentials");
    CrmAdapter refused = adapterWithWrongCredentials();
    CaseLookup lookup = refused.capability(CaseLookup.class).orElseThrow();

    CrmException e = failure(() -> lookup.findByExternalReference("req-110"));

    assertThat(e.kind()).isEqualTo(CrmException.Kind.AUTHENTICATION);
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage()).contains(refused.name());
    for (String secret : secrets()) {
      assertThat(e.getMessage()).doesNotContain(secret);
      assertThat(String.valueOf(e.getCause())).doesNotContain(secret);
    }
  }

  // ---- the service catalogue (optional: skipped for an adapter without one) ----

  @Test
  void theServiceCatalogueListsEachServiceOnceWithACodeAndAName() {
    List<Service> services = required(ServiceCatalogue.class).services();

    assertThat(services).isNotEmpty();
    assertThat(services).extracting(Service::code).doesNotHaveDuplicates()
        .allSatisfy(code -> assertThat(code).isNotBlank());
    assertThat(services).extracting(Service::name).allSatisfy(n -> assertThat(n).isNotBlank());
    listedService().ifPresent(code ->
        assertThat(services).extracting(Service::code).contains(code));
  }

  @Test
  void aFailureWhileListingServicesIsTransientNeverAPartialList() {
    ServiceCatalogue catalogue = required(ServiceCatalogue.class);
    assumeTrue(failNext(Failure.SERVER_ERROR, CrmOperation.DESCRIBE_SERVICES), "cannot answer 5xx");

    CrmException e = failure(catalogue::services);

    assertThat(e.kind()).isEqualTo(CrmException.Kind.TRANSIENT);
    assertThat(e.operation()).isEqualTo(CrmOperation.DESCRIBE_SERVICES);
  }

  // ---- case details (optional: skipped for an adapter without them) ----

  @Test
  void detailsOfACreatedCaseGiveItsDescriptionAndLocationAndNeverItsContact() {
    CaseDetails details = required(CaseDetails.class);
    NewCase plain = newCase("fms-111", "req-111");
    Location location = Location.at("51.4545", "-2.5879").withAddress("12 Acacia Avenue");
    NewCase located = new NewCase(plain.idempotencyKey(), plain.externalReference(),
        plain.caseType(), plain.fields(), plain.report().toBuilder().location(location)
            .contact(Contact.of("Ada", "Lovelace", "ada@example.org", "07700 900123")).build());
    String caseId = required(CaseCreation.class).create(located).caseId();

    Optional<Report> read = details.details(caseId);

    assertThat(read).hasValueSatisfying(r -> {
      assertThat(r.description()).isEqualTo(plain.report().description());
      assertThat(r.contact()).isEqualTo(Contact.NONE);
      if (keepsLocation()) {
        // Compared as numbers: a CRM may answer 51.4545 as 51.45450.
        assertThat(r.location().coordinates()).hasValueSatisfying(c -> {
          assertThat(c.lat()).isEqualByComparingTo("51.4545");
          assertThat(c.lon()).isEqualByComparingTo("-2.5879");
        });
        assertThat(r.location().address()).contains("12 Acacia Avenue");
      }
    });
  }

  @Test
  void detailsOfAnUnknownCaseAreEmpty() {
    CaseDetails details = required(CaseDetails.class);
    required(CaseCreation.class).create(newCase("fms-112", "req-112"));

    assertThat(details.details(unknownCaseId())).isEmpty();
  }

  @Test
  void detailsAfterAnExpiredTokenRefreshItOnce() {
    CaseDetails details = required(CaseDetails.class);
    assumeTrue(tokensIssued().isPresent(), "the system issues no tokens");
    String caseId = required(CaseCreation.class).create(newCase("fms-113", "req-113")).caseId();
    int before = tokensIssued().getAsInt();
    assumeTrue(failNext(Failure.EXPIRED_TOKEN, CrmOperation.FIND_CASE), "cannot expire tokens");

    assertThat(details.details(caseId)).isPresent();
    assertThat(tokensIssued().getAsInt()).isEqualTo(before + 1);
  }

  // ---- support ----

  private <T extends CrmCapability> T required(Class<T> type) {
    Optional<T> capability = adapter().capability(type);
    assumeTrue(capability.isPresent(), adapter().name() + " has no " + type.getSimpleName());
    return capability.get();
  }

  private static CrmException failure(Runnable call) {
    CrmException e = catchThrowableOfType(CrmException.class, call::run);
    assertThat(e).as("a CrmException").isNotNull();
    return e;
  }
}
