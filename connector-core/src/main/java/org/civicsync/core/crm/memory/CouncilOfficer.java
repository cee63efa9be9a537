package org.civicsync.core.crm.memory;

import java.util.Objects;
import java.util.Optional;
import org.civicsync.core.model.Report;

/**
 * Works cases in the in-memory CRM as someone at the council would, so a test or the demo can
 * make the changes the engine must carry to Open311. Each action is one change in the feed, with
 * no update id: it did not come from the engine.
 */
public final class CouncilOfficer {
  private final CaseBook book;

  CouncilOfficer(CaseBook book) {
    this.book = book;
  }

  /** Opens a case with no external reference, as for a report taken by phone. */
  public String raiseCase(String caseType) {
    return book.open(Objects.requireNonNull(caseType, "caseType == null"), Optional.empty(),
        Optional.empty());
  }

  /**
   * Opens a case with no external reference but with particulars (description, location, and
   * {@code requested} as the time the call came in), as for a report taken by phone.
   */
  public String raiseCase(String caseType, Report details) {
    return book.open(Objects.requireNonNull(caseType, "caseType == null"),
        Objects.requireNonNull(details, "details == null"));
  }

  /**
   * Sets the status code; the case is closed exactly when the CRM counts the code as closed.
   * Answers the new version.
   */
  public long changeStatus(String caseId, String statusCode) {
    return book.officerChange(id(caseId),
        Optional.of(Objects.requireNonNull(statusCode, "statusCode == null")), Optional.empty(),
        Optional.empty());
  }

  /** Adds a note. Answers the new version. */
  public long addNote(String caseId, String text) {
    return book.officerChange(id(caseId), Optional.empty(), Optional.empty(),
        Optional.of(Objects.requireNonNull(text, "text == null")));
  }

  /** Closes the case with {@code statusCode}. Answers the new version. */
  public long close(String caseId, String statusCode) {
    return book.officerChange(id(caseId),
        Optional.of(Objects.requireNonNull(statusCode, "statusCode == null")), Optional.of(true),
        Optional.empty());
  }

  private static String id(String caseId) {
    return Objects.requireNonNull(caseId, "caseId == null");
  }
}
