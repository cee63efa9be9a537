package org.civicsync.core.spi;

import java.util.Objects;
import java.util.Optional;
import org.civicsync.core.model.Status;

/**
 * A change the engine asks the CRM to make: a note, a new status, a close, or a note together with
 * one of the others.
 *
 * @param caseId the CRM's case id
 * @param updateId the engine's id for this update: the same on every resend, so the adapter can
 *     apply it once
 * @param note text to add as a note; may hold personal data, never log it
 * @param statusCode the CRM status code to set (from the mapping); for a close, the closing code,
 *     or empty for the CRM's usual one
 * @param closeReason present for a close: why, in canonical terms ({@code FIXED},
 *     {@code NO_FURTHER_ACTION}, ...); an adapter whose CRM records a resolution maps it there
 */
public record CaseUpdate(
    String caseId,
    String updateId,
    Optional<String> note,
    Optional<String> statusCode,
    Optional<Status> closeReason) {

  public CaseUpdate {
    Objects.requireNonNull(caseId, "caseId == null");
    Objects.requireNonNull(updateId, "updateId == null");
    Objects.requireNonNull(note, "note == null");
    Objects.requireNonNull(statusCode, "statusCode == null");
    Objects.requireNonNull(closeReason, "closeReason == null");
    if (updateId.isBlank()) {
      throw new IllegalArgumentException("updateId is blank");
    }
    if (note.isEmpty() && statusCode.isEmpty() && closeReason.isEmpty()) {
      throw new IllegalArgumentException(
          "update " + updateId + " for case " + caseId + " has no note, status or close");
    }
    closeReason.ifPresent(reason -> {
      if (!reason.isClosed()) {
        throw new IllegalArgumentException(
            "close reason must be a closed status, not " + reason + " (update " + updateId + ")");
      }
    });
  }

  public static CaseUpdate note(String caseId, String updateId, String text) {
    return new CaseUpdate(caseId, updateId, Optional.of(text), Optional.empty(), Optional.empty());
  }

  public static CaseUpdate status(String caseId, String updateId, String statusCode) {
    return new CaseUpdate(
        caseId, updateId, Optional.empty(), Optional.of(statusCode), Optional.empty());
  }

  /** Closes with {@code reason}, using the closing {@code statusCode} when present. */
  public static CaseUpdate close(
      String caseId, String updateId, Status reason, Optional<String> statusCode) {
    return new CaseUpdate(caseId, updateId, Optional.empty(), statusCode, Optional.of(reason));
  }

  /** This update with a note added: a citizen's "fixed" usually comes with words. */
  public CaseUpdate withNote(String text) {
    return new CaseUpdate(caseId, updateId, Optional.of(text), statusCode, closeReason);
  }

  public boolean closes() {
    return closeReason.isPresent();
  }

  @Override
  public String toString() {
    return "CaseUpdate[caseId=" + caseId + ", updateId=" + updateId
        + ", note=" + (note.isPresent() ? "<text>" : "-")
        + ", statusCode=" + statusCode.orElse("-")
        + ", closeReason=" + closeReason.map(Status::name).orElse("-") + "]";
  }
}
