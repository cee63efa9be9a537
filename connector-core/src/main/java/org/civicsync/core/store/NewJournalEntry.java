package org.civicsync.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A journal entry to append. {@link #updated()} is the update's own updated_datetime, not the time
 * of appending: the served window is in the remote system's time.
 */
public record NewJournalEntry(
    String jurisdiction, Side target, String updateId, long linkId, Instant updated,
    String payload) {

  public NewJournalEntry {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    Objects.requireNonNull(target, "target == null");
    Objects.requireNonNull(updateId, "updateId == null");
    Objects.requireNonNull(updated, "updated == null");
    Objects.requireNonNull(payload, "payload == null");
  }
}
