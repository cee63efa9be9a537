package org.civicsync.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An update to serve or deliver to {@link #target()}. {@link #seq()} is assigned by the store and
 * breaks ties between entries with the same {@link #updated()} time, so a window read in
 * (updated, seq) order is stable. The payload is opaque here: the engine serialises it.
 */
public record JournalEntry(
    long seq,
    String jurisdiction,
    Side target,
    String updateId,
    long linkId,
    Instant updated,
    String payload,
    boolean delivered) {

  public JournalEntry {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    Objects.requireNonNull(target, "target == null");
    Objects.requireNonNull(updateId, "updateId == null");
    Objects.requireNonNull(updated, "updated == null");
    Objects.requireNonNull(payload, "payload == null");
  }
}
