package org.civicsync.core.store;

import java.time.Instant;
import java.util.List;

/**
 * The {@code journal} table: updates with stable update ids, served to FixMyStreet by time window
 * ({@code GET servicerequestupdates}) or delivered to a side and marked.
 */
public interface Journal {

  /**
   * Appends unless (jurisdiction, target, updateId) is already there, so a change seen twice (poll
   * overlap, restart) is journalled once.
   *
   * @return true if this call inserted the entry
   */
  boolean append(NewJournalEntry entry);

  /**
   * Entries with {@code start <= updated <= end}, both ends inclusive, ordered by (updated, seq),
   * at most {@code limit}. Backed by an index on (jurisdiction, target, updated, seq).
   */
  List<JournalEntry> window(String jurisdiction, Side target, Instant start, Instant end,
      int limit);

  /**
   * Entries of every jurisdiction and target with {@code afterSeq < seq <= lastSeq}, by seq, at
   * most {@code limit}: for following the journal from memory. Seq is not commit order (a
   * transaction may commit after one holding a higher seq, and a rollback leaves a gap for good),
   * so a reader must not assume that nothing will appear below the highest seq it has read.
   */
  List<JournalEntry> bySeq(long afterSeq, long lastSeq, int limit);

  /** Undelivered entries for a target with seq greater than {@code afterSeq}, by seq. */
  List<JournalEntry> undelivered(Side target, long afterSeq, int limit);

  /** @return false if there is no such entry or it was delivered already */
  boolean markDelivered(long seq);
}
