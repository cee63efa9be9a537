package org.civicsync.core.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.LoggerFactory;

/**
 * What one sync pass of a jurisdiction did, for logs, metrics and tests. Counts only: no ids or
 * personal data.
 */
public record PassResult(
    String jurisdiction,
    int requestsSeen,
    int linksCreated,
    int casesCreated,
    int crmChangesRead,
    int updatesForOpen311,
    int updatesDelivered,
    int updatesForCrm,
    int crmUpdatesApplied,
    int echoesDropped,
    int staleDropped,
    int workFailed) {

  static final class Counter {
    final String jurisdiction;
    int requestsSeen;
    int linksCreated;
    int casesCreated;
    int crmChangesRead;
    int updatesForOpen311;
    int updatesDelivered;
    int updatesForCrm;
    int crmUpdatesApplied;
    int echoesDropped;
    int staleDropped;
    int workFailed;

    private final PassProgress progress;
    private final Clock clock;
    private final Instant started;
    private Instant reported;

    Counter(String jurisdiction) {
      this(jurisdiction, PassProgress.NONE, Clock.systemUTC());
    }

    Counter(String jurisdiction, PassProgress progress, Clock clock) {
      this.jurisdiction = jurisdiction;
      this.progress = progress;
      this.clock = clock;
      // Serve mode makes a counter per request: without progress, do not even read the clock.
      this.started = progress == PassProgress.NONE ? Instant.EPOCH : clock.instant();
      this.reported = started;
    }

    /** Between steps of a pass: tells {@link PassProgress} the counts so far when it is due. */
    void tick() {
      if (progress == PassProgress.NONE) {
        return;
      }
      Instant now = clock.instant();
      if (Duration.between(reported, now).compareTo(progress.every()) < 0) {
        return;
      }
      reported = now;
      try {
        progress.listener().progress(result(), Duration.between(started, now));
      } catch (RuntimeException e) {
        LoggerFactory.getLogger(PassProgress.class).warn("progress listener failed: {}", e.toString());
      }
    }

    PassResult result() {
      return new PassResult(jurisdiction, requestsSeen, linksCreated, casesCreated, crmChangesRead,
          updatesForOpen311, updatesDelivered, updatesForCrm, crmUpdatesApplied, echoesDropped,
          staleDropped, workFailed);
    }
  }
}
