package org.civicsync.core.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a {@link ChangeFeed}: the case's state with this change, and the note when the
 * change is a note being added. A change to state and a note may come as one entry or two.
 *
 * @param modified the time the feed is ordered by: the case's modification time, or the note's
 *     creation time for a note listed from its own table
 * @param crmCase the case as of this change: its version, raw status code, closed flag, external
 *     reference
 * @param note present when a note was added
 * @param updateId the engine's update id when this change came from {@link CaseUpdates#apply}
 *     and the CRM can tell; lets the engine drop its own echoes without guessing
 */
public record CrmChange(
    Instant modified, CrmCase crmCase, Optional<CrmNote> note, Optional<String> updateId) {

  public CrmChange {
    Objects.requireNonNull(modified, "modified == null");
    Objects.requireNonNull(crmCase, "crmCase == null");
    Objects.requireNonNull(note, "note == null");
    Objects.requireNonNull(updateId, "updateId == null");
  }

  public String caseId() {
    return crmCase.caseId();
  }

  public long version() {
    return crmCase.version();
  }
}
