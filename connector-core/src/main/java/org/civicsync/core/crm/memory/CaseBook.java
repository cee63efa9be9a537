package org.civicsync.core.crm.memory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.civicsync.core.model.Contact;
import org.civicsync.core.model.Report;
import org.civicsync.core.spi.AppliedUpdate;
import org.civicsync.core.spi.CaseUpdate;
import org.civicsync.core.spi.ChangePage;
import org.civicsync.core.spi.CreatedCase;
import org.civicsync.core.spi.CrmCase;
import org.civicsync.core.spi.CrmChange;
import org.civicsync.core.spi.CrmNote;
import org.civicsync.core.spi.NewCase;

/**
 * The in-memory CRM's records: cases, notes, and the log of every change, behind one lock.
 *
 * <p>The log keeps every change (not only each case's latest state, as a query on a real CRM's
 * case table would), so a test sees each step a case went through. It is ordered by (modified,
 * change number); the change number only grows, so a change made at the same instant as one
 * already read still sorts after it and is never skipped. A clock set back can hide a change
 * behind a cursor, as on a real CRM; the engine's overlap window is the remedy for both.
 */
final class CaseBook {

  /** A case and everything the CRM keeps about it. Guarded by the book's lock. */
  private static final class Entry {
    CrmCase state;
    final Optional<NewCase> creation;
    Optional<Report> details = Optional.empty();
    final List<CrmNote> notes = new ArrayList<>();
    final Map<String, AppliedUpdate> applied = new HashMap<>();

    Entry(CrmCase state, Optional<NewCase> creation) {
      this.state = state;
      this.creation = creation;
    }
  }

  private final Clock clock;
  private final String initialStatusCode;
  private final Set<String> closedStatusCodes;
  private final String closingStatusCode;
  private final boolean honourIdempotencyKeys;

  private final Map<String, Entry> cases = new LinkedHashMap<>();
  private final Map<String, String> caseByIdempotencyKey = new HashMap<>();
  private final Map<String, String> firstCaseByExternalReference = new HashMap<>();
  private final Map<String, Integer> createsByExternalReference = new HashMap<>();
  private final NavigableMap<FeedPosition, CrmChange> log = new TreeMap<>();
  private long lastCase;
  private long lastNote;
  private long lastChange;

  CaseBook(Clock clock, String initialStatusCode, Set<String> closedStatusCodes,
      String closingStatusCode, boolean honourIdempotencyKeys) {
    this.clock = clock;
    this.initialStatusCode = initialStatusCode;
    this.closedStatusCodes = Set.copyOf(closedStatusCodes);
    this.closingStatusCode = closingStatusCode;
    this.honourIdempotencyKeys = honourIdempotencyKeys;
  }

  synchronized CreatedCase create(NewCase newCase) {
    if (honourIdempotencyKeys) {
      String existing = caseByIdempotencyKey.get(newCase.idempotencyKey());
      if (existing != null) {
        return new CreatedCase(existing, cases.get(existing).state.version(), true);
      }
    }
    String caseId = open(newCase.caseType(), Optional.of(newCase.externalReference()),
        Optional.of(newCase));
    caseByIdempotencyKey.putIfAbsent(newCase.idempotencyKey(), caseId);
    firstCaseByExternalReference.putIfAbsent(newCase.externalReference(), caseId);
    createsByExternalReference.merge(newCase.externalReference(), 1, Integer::sum);
    return new CreatedCase(caseId, 1, false);
  }

  /** Opens a case; with no external reference, as an officer taking a phone call does. */
  synchronized String open(
      String caseType, Optional<String> externalReference, Optional<NewCase> creation) {
    String caseId = String.format("CASE-%06d", ++lastCase);
    Instant now = clock.instant();
    CrmCase state = new CrmCase(caseId, caseType, externalReference, initialStatusCode,
        closedStatusCodes.contains(initialStatusCode), 1, now);
    cases.put(caseId, new Entry(state, creation));
    record(state, Optional.empty(), Optional.empty());
    return caseId;
  }

  /** Opens a case with particulars (where, what), as an officer taking a phone call does. */
  synchronized String open(String caseType, Report details) {
    String caseId = open(caseType, Optional.empty(), Optional.empty());
    cases.get(caseId).details = Optional.of(details);
    return caseId;
  }

  /**
   * The officer's particulars, else the report the case was created from, without the contact:
   * as the vendor adapters, which never fetch it.
   */
  synchronized Optional<Report> details(String caseId) {
    Entry entry = cases.get(caseId);
    if (entry == null) {
      return Optional.empty();
    }
    return entry.details.or(() -> entry.creation.map(NewCase::report))
        .map(r -> r.toBuilder().contact(Contact.NONE).build());
  }

  synchronized Optional<CrmCase> findByExternalReference(String externalReference) {
    return Optional.ofNullable(firstCaseByExternalReference.get(externalReference))
        .map(id -> cases.get(id).state);
  }

  /** Applies an engine update once per update id; empty when the case does not exist. */
  synchronized Optional<AppliedUpdate> apply(CaseUpdate update) {
    Entry entry = cases.get(update.caseId());
    if (entry == null) {
      return Optional.empty();
    }
    AppliedUpdate before = entry.applied.get(update.updateId());
    if (before != null) {
      return Optional.of(new AppliedUpdate(before.version(), true));
    }
    Optional<String> code = update.closes()
        ? Optional.of(update.statusCode().orElse(closingStatusCode))
        : update.statusCode();
    Optional<Boolean> closed = update.closes() ? Optional.of(true) : Optional.empty();
    long version = change(entry, code, closed, update.note(), Optional.of(update.updateId()));
    AppliedUpdate result = new AppliedUpdate(version, false);
    entry.applied.put(update.updateId(), result);
    return Optional.of(result);
  }

  /**
   * Changes a case as an officer does. The closed flag follows the status code unless
   * {@code closed} says otherwise. Answers the new version.
   */
  synchronized long officerChange(String caseId, Optional<String> statusCode,
      Optional<Boolean> closed, Optional<String> note) {
    Entry entry = cases.get(caseId);
    if (entry == null) {
      throw new IllegalArgumentException("no case '" + caseId + "'");
    }
    return change(entry, statusCode, closed, note, Optional.empty());
  }

  private long change(Entry entry, Optional<String> statusCode, Optional<Boolean> closed,
      Optional<String> noteText, Optional<String> updateId) {
    CrmCase was = entry.state;
    String code = statusCode.orElse(was.statusCode());
    boolean isClosed = closed.orElse(
        statusCode.isPresent() ? closedStatusCodes.contains(code) : was.closed());
    Instant now = clock.instant();
    CrmCase state = new CrmCase(was.caseId(), was.caseType(), was.externalReference(), code,
        isClosed, was.version() + 1, now);
    entry.state = state;
    Optional<CrmNote> note = noteText.map(text ->
        new CrmNote(String.format("NOTE-%06d", ++lastNote), text, now, updateId));
    note.ifPresent(entry.notes::add);
    record(state, note, updateId);
    return state.version();
  }

  private void record(CrmCase state, Optional<CrmNote> note, Optional<String> updateId) {
    FeedPosition position = new FeedPosition(state.modified(), ++lastChange);
    log.put(position, new CrmChange(state.modified(), state, note, updateId));
  }

  synchronized ChangePage changesAfter(FeedPosition after, int limit) {
    List<CrmChange> page = new ArrayList<>(Math.min(limit, 256));
    FeedPosition last = after;
    Iterator<Map.Entry<FeedPosition, CrmChange>> rest = log.tailMap(after, false).entrySet().iterator();
    while (page.size() < limit && rest.hasNext()) {
      Map.Entry<FeedPosition, CrmChange> next = rest.next();
      page.add(next.getValue());
      last = next.getKey();
    }
    return new ChangePage(page, last.toCursor(), rest.hasNext());
  }

  synchronized Optional<CrmCase> find(String caseId) {
    return Optional.ofNullable(cases.get(caseId)).map(e -> e.state);
  }

  synchronized List<CrmNote> notes(String caseId) {
    Entry entry = cases.get(caseId);
    return entry == null ? List.of() : List.copyOf(entry.notes);
  }

  synchronized Optional<NewCase> creation(String caseId) {
    Entry entry = cases.get(caseId);
    return entry == null ? Optional.empty() : entry.creation;
  }

  synchronized List<CrmCase> cases() {
    return cases.values().stream().map(e -> e.state).toList();
  }

  synchronized int createCount(String externalReference) {
    return createsByExternalReference.getOrDefault(externalReference, 0);
  }
}
