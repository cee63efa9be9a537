package org.civicsync.examples.operation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.civicsync.core.store.StoredCursor;
import org.civicsync.core.sync.SyncEngine;
import org.civicsync.examples.config.JurisdictionConfig;
import org.civicsync.examples.connector.Connector;

/**
 * Whether each polling jurisdiction has been read successfully lately: the time of its last
 * successful poll ({@link SyncEngine#polledCursor}, recorded in the store by whichever node
 * polled, also when nothing was new) against a multiple of its {@code every}. A quiet endpoint is
 * not lagging; an endpoint or CRM that keeps failing is. A connector just started is given that
 * long for its first poll.
 */
public final class PollFreshness {
  /** One polling jurisdiction's verdict. */
  public record Verdict(String jurisdiction, Optional<Instant> lastSuccess, Duration since,
      Duration limit) {
    public boolean stale() {
      return since.compareTo(limit) > 0;
    }

    /** Why it is stale, in words an operator acts on; empty when it is not. */
    public Optional<String> reason() {
      if (!stale()) {
        return Optional.empty();
      }
      return Optional.of(lastSuccess.map(t -> "no successful poll for " + words(since)
              + " (last " + t + ")").orElse("no successful poll since the connector started "
              + words(since) + " ago")
          + ", more than the " + words(limit) + " allowed (operation.stale_after_intervals x every);"
          + " see the warnings in the log and civicsync status");
    }
  }

  private final Connector connector;
  private final int intervals;
  private final Instant started;
  private final Clock clock;

  public PollFreshness(Connector connector, int intervals, Instant started, Clock clock) {
    this.connector = Objects.requireNonNull(connector, "connector == null");
    if (intervals < 1) {
      throw new IllegalArgumentException("intervals must be at least 1, was " + intervals);
    }
    this.intervals = intervals;
    this.started = Objects.requireNonNull(started, "started == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  /** Every polling jurisdiction's verdict, in configuration order; reads the store. */
  public List<Verdict> check() {
    Instant now = clock.instant();
    List<Verdict> verdicts = new ArrayList<>();
    for (JurisdictionConfig j : connector.config().jurisdictions()) {
      if (j.poll().isEmpty()) {
        continue;
      }
      Optional<Instant> last = lastSuccess(connector, j.id());
      Instant reference = last.filter(t -> t.isAfter(started)).orElse(started);
      verdicts.add(new Verdict(j.id(), last, Duration.between(reference, now),
          j.poll().get().every().multipliedBy(intervals)));
    }
    return verdicts;
  }

  /** When {@code jurisdiction}'s feeds were last all read without failing, by any node. */
  public static Optional<Instant> lastSuccess(Connector connector, String jurisdiction) {
    return connector.store().cursors().get(SyncEngine.polledCursor(jurisdiction))
        .map(StoredCursor::updated);
  }

  static String words(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 120) {
      return s + " s";
    }
    if (s < 7_200) {
      return s / 60 + " min";
    }
    return s < 172_800 ? s / 3600 + " h" : s / 86_400 + " d";
  }
}
