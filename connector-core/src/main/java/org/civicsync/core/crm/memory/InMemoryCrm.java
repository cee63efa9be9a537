package org.civicsync.core.crm.memory;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.civicsync.core.model.Service;
import org.civicsync.core.spi.AppliedUpdate;
import org.civicsync.core.model.Report;
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
import org.civicsync.core.spi.CrmCase;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmNote;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.core.spi.NewCase;
import org.civicsync.core.spi.ServiceCatalogue;

/**
 * A CRM that lives in memory, with every capability and the semantics the engine relies on:
 * versions that grow with each change, modification times from an injected {@link Clock},
 * idempotent creates (an upsert on the idempotency key) and updates (on the update id), and a
 * change feed with a (modified, change number) keyset cursor.
 *
 * <p>For tests and the demo it also counts creates per external reference (the proof of "exactly
 * once"), lets a {@link CouncilOfficer} change cases as the council would, and injects
 * {@link Faults}. Thread-safe.
 */
public final class InMemoryCrm
    implements CrmAdapter, CaseCreation, CaseLookup, ChangeFeed, CaseUpdates, ServiceCatalogue,
    CaseDetails {

  private final String name;
  private final List<Service> services;
  private final CaseBook book;
  private final Faults faults = new Faults();
  private final CouncilOfficer officer;
  private final Map<CrmOperation, AtomicInteger> calls = new EnumMap<>(CrmOperation.class);

  private InMemoryCrm(Builder b) {
    this.name = b.name;
    this.services = List.copyOf(b.services);
    this.book = new CaseBook(b.clock, b.initialStatusCode, b.closedStatusCodes,
        b.closingStatusCode, b.honourIdempotencyKeys);
    this.officer = new CouncilOfficer(book);
    for (CrmOperation op : CrmOperation.values()) {
      calls.put(op, new AtomicInteger());
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CreatedCase create(NewCase newCase) {
    Objects.requireNonNull(newCase, "newCase == null");
    UnaryOperator<CrmException.Builder> subject =
        b -> b.externalReference(newCase.externalReference());
    return call(CrmOperation.CREATE_CASE, subject, () -> {
      if (!services.isEmpty()
          && services.stream().noneMatch(s -> s.code().equals(newCase.caseType()))) {
        throw subject.apply(error(CrmException.Kind.PERMANENT, CrmOperation.CREATE_CASE))
            .detail("unknown case type '" + newCase.caseType() + "'").build();
      }
      return book.create(newCase);
    });
  }

  @Override
  public Optional<CrmCase> findByExternalReference(String externalReference) {
    Objects.requireNonNull(externalReference, "externalReference == null");
    return call(CrmOperation.FIND_CASE, b -> b.externalReference(externalReference),
        () -> book.findByExternalReference(externalReference));
  }

  @Override
  public ChangePage changesSince(ChangeCursor cursor, int limit) {
    Objects.requireNonNull(cursor, "cursor == null");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    return call(CrmOperation.LIST_CHANGES, UnaryOperator.identity(), () -> {
      FeedPosition after = FeedPosition.of(cursor).orElseThrow(
          () -> error(CrmException.Kind.PERMANENT, CrmOperation.LIST_CHANGES).detail("not a cursor of this CRM: '" + cursor + "'").build());
      return book.changesAfter(after, limit);
    });
  }

  @Override
  public ChangeCursor cursorAt(Instant time) {
    return FeedPosition.before(Objects.requireNonNull(time, "time == null")).toCursor();
  }

  @Override
  public AppliedUpdate apply(CaseUpdate update) {
    Objects.requireNonNull(update, "update == null");
    UnaryOperator<CrmException.Builder> subject = b -> b.caseId(update.caseId());
    return call(CrmOperation.APPLY_UPDATE, subject, () -> book.apply(update).orElseThrow(
        () -> subject.apply(error(CrmException.Kind.NOT_FOUND, CrmOperation.APPLY_UPDATE))
            .detail("no such case").build()));
  }

  @Override
  public List<Service> services() {
    return call(CrmOperation.DESCRIBE_SERVICES, UnaryOperator.identity(), () -> services);
  }

  /** Counted as a {@link CrmOperation#FIND_CASE}: it reads one case. */
  @Override
  public Optional<Report> details(String caseId) {
    Objects.requireNonNull(caseId, "caseId == null");
    return call(CrmOperation.FIND_CASE, b -> b.caseId(caseId), () -> book.details(caseId));
  }

  /** Acts on cases as a council officer would, making changes the feed lists. */
  public CouncilOfficer officer() {
    return officer;
  }

  /** Failures planned for coming calls. */
  public Faults faults() {
    return faults;
  }

  /**
   * How many cases were created for {@code externalReference}: 1 is "exactly once". An answer
   * from the idempotency key that returns an existing case is not a create.
   */
  public int createCount(String externalReference) {
    return book.createCount(Objects.requireNonNull(externalReference, "externalReference == null"));
  }

  /** How many times the SPI was called for {@code operation}, failed calls included. */
  public int calls(CrmOperation operation) {
    return calls.get(Objects.requireNonNull(operation, "operation == null")).get();
  }

  public Optional<CrmCase> find(String caseId) {
    return book.find(Objects.requireNonNull(caseId, "caseId == null"));
  }

  /** Every case, oldest first. */
  public List<CrmCase> cases() {
    return book.cases();
  }

  public List<CrmNote> notes(String caseId) {
    return book.notes(Objects.requireNonNull(caseId, "caseId == null"));
  }

  /** What the engine sent to create {@code caseId}; empty for a case an officer opened. */
  public Optional<NewCase> creation(String caseId) {
    return book.creation(Objects.requireNonNull(caseId, "caseId == null"));
  }

  @Override
  public String toString() {
    return "InMemoryCrm[" + name + "]";
  }

  /**
   * Runs one SPI call under the fault plan: a planned failure throws before the work, or (for
   * "apply then lose the answer") after it. {@code subject} adds the case or reference to errors.
   */
  private <T> T call(
      CrmOperation operation, UnaryOperator<CrmException.Builder> subject, Supplier<T> work) {
    calls.get(operation).incrementAndGet();
    Optional<Faults.Fault> fault = faults.next(operation);
    if (fault.isPresent() && !fault.get().afterApplying()) {
      throw injected(operation, subject, fault.get());
    }
    T result = work.get();
    if (fault.isPresent()) {
      throw injected(operation, subject, fault.get());
    }
    return result;
  }

  private CrmException injected(
      CrmOperation operation, UnaryOperator<CrmException.Builder> subject, Faults.Fault fault) {
    CrmException.Builder b = subject.apply(error(fault.kind(), operation)).detail(fault.detail()
        .orElse(fault.afterApplying() ? "injected fault: answer lost after applying"
            : "injected fault"));
    fault.retryAfter().ifPresent(b::retryAfter);
    return b.build();
  }

  private CrmException.Builder error(CrmException.Kind kind, CrmOperation operation) {
    return CrmException.of(kind, name, operation);
  }

  /** Settings of an in-memory CRM; the defaults suit most tests. */
  public static final class Builder {
    private String name = "memory";
    private Clock clock = Clock.systemUTC();
    private String initialStatusCode = "NEW";
    private Set<String> closedStatusCodes = Set.of("CLOSED");
    private String closingStatusCode = "CLOSED";
    private boolean honourIdempotencyKeys = true;
    private List<Service> services = List.of();

    private Builder() {}

    public Builder name(String value) {
      this.name = Objects.requireNonNull(value, "name == null");
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock == null");
      return this;
    }

    /** The status code of a new case. Default {@code NEW}. */
    public Builder initialStatusCode(String value) {
      this.initialStatusCode = Objects.requireNonNull(value, "initialStatusCode == null");
      return this;
    }

    /** Status codes the CRM counts as closed. Default {@code CLOSED}. */
    public Builder closedStatusCodes(Set<String> value) {
      this.closedStatusCodes = Set.copyOf(Objects.requireNonNull(value, "closedStatusCodes == null"));
      return this;
    }

    /** The code a close without a code sets. Default {@code CLOSED}. */
    public Builder closingStatusCode(String value) {
      this.closingStatusCode = Objects.requireNonNull(value, "closingStatusCode == null");
      return this;
    }

    /**
     * False makes a CRM without upsert: every create makes a case, so only the engine's
     * find-by-external-reference keeps an ambiguous create from duplicating. Default true.
     */
    public Builder honourIdempotencyKeys(boolean value) {
      this.honourIdempotencyKeys = value;
      return this;
    }

    /** The case types (as {@link Service#code()}) this CRM accepts; empty accepts any. */
    public Builder services(List<Service> value) {
      this.services = List.copyOf(Objects.requireNonNull(value, "services == null"));
      return this;
    }

    public InMemoryCrm build() {
      return new InMemoryCrm(this);
    }
  }
}
