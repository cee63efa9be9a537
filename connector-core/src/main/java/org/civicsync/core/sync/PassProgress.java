package org.civicsync.core.sync;

import java.time.Duration;
import java.util.Objects;

/**
 * Told how a long pass is getting on: a backfill of months reads and creates thousands of
 * reports in one pass, and an operator watching {@code once} should not wait minutes for a
 * first line. The engine calls {@link Listener#progress} between steps of a pass (after each page
 * of requests or CRM changes, after each batch of outbox work) once at least {@link #every} has
 * passed since the pass started or since the last call; a pass shorter than that reports nothing.
 * The listener runs on the pass's thread, so it should be quick; what it throws is logged and
 * ignored.
 */
public record PassProgress(Duration every, Listener listener) {
  /** Reports nothing. */
  public static final PassProgress NONE = new PassProgress(Duration.ofDays(365_000), (r, e) -> { });

  /** Receives the counts of the pass so far and how long it has run. */
  @FunctionalInterface
  public interface Listener {
    void progress(PassResult soFar, Duration elapsed);
  }

  public PassProgress {
    Objects.requireNonNull(every, "every == null");
    Objects.requireNonNull(listener, "listener == null");
    if (every.isNegative()) {
      throw new IllegalArgumentException("every must not be negative, was " + every);
    }
  }
}
