package org.civicsync.core.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How a jurisdiction is synced: where the backfill starts, how far reads overlap, batch sizes, and
 * how work items are retried. Immutable; {@link #builder()} rejects a bad value naming it.
 */
public record SyncSettings(
    Instant backfillFrom,
    Duration overlap,
    int pageSize,
    int workBatch,
    int maxAttempts,
    Duration retryBackoff,
    Duration claimTtl) {

  public SyncSettings {
    Objects.requireNonNull(backfillFrom, "backfillFrom == null");
    positive(overlap, "overlap");
    positive(retryBackoff, "retryBackoff");
    positive(claimTtl, "claimTtl");
    if (pageSize < 1) {
      throw new IllegalArgumentException("pageSize must be at least 1, was " + pageSize);
    }
    if (workBatch < 1) {
      throw new IllegalArgumentException("workBatch must be at least 1, was " + workBatch);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
  }

  public static SyncSettings ofDefaults(Instant backfillFrom) {
    return new SyncSettings(backfillFrom, Duration.ofMinutes(10), 500, 200, 8,
        Duration.ofSeconds(30), Duration.ofMinutes(5));
  }

  public SyncSettings withMaxAttempts(int value) {
    return new SyncSettings(backfillFrom, overlap, pageSize, workBatch, value, retryBackoff, claimTtl);
  }

  public SyncSettings withClaimTtl(Duration value) {
    return new SyncSettings(backfillFrom, overlap, pageSize, workBatch, maxAttempts, retryBackoff, value);
  }

  /** The wait before attempt {@code attempts + 1}: doubling from {@link #retryBackoff}, capped at an hour. */
  Duration backoff(int attempts) {
    long factor = 1L << Math.min(Math.max(attempts - 1, 0), 7);
    Duration wait = retryBackoff.multipliedBy(factor);
    return wait.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : wait;
  }

  private static void positive(Duration value, String name) {
    Objects.requireNonNull(value, name + " == null");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
