package org.civicsync.core.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A comment on a case.
 *
 * @param text what was written: may hold personal data, so never log it
 * @param updateId the engine's update id when the note came from {@link CaseUpdates#apply}, so
 *     the engine recognises its own note when the feed brings it back; empty for notes written
 *     in the CRM
 */
public record CrmNote(String noteId, String text, Instant created, Optional<String> updateId) {
  public CrmNote {
    Objects.requireNonNull(noteId, "noteId == null");
    Objects.requireNonNull(text, "text == null");
    Objects.requireNonNull(created, "created == null");
    Objects.requireNonNull(updateId, "updateId == null");
  }

  @Override
  public String toString() {
    return "CrmNote[noteId=" + noteId + ", created=" + created
        + ", updateId=" + updateId.orElse("-") + "]";
  }
}
