package org.civicsync.core.store;

import java.time.Instant;

/**
 * The {@code seen} table: what we wrote ourselves to a side (an update id, a version fingerprint),
 * so that when it comes back in that side's feed the engine drops it instead of echoing it
 * (no A→B→A loops).
 */
public interface Seen {

  /** Records a key, refreshing its time if it was recorded before. */
  void record(String jurisdiction, Side side, String key);

  boolean contains(String jurisdiction, Side side, String key);

  /** Forgets keys recorded before {@code before}; returns how many. */
  int pruneBefore(Instant before);
}
