package org.civicsync.crm.open311;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import org.civicsync.core.model.ReportUpdate;

/**
 * What the back office's updates feed has shown one adapter instance over the lookup window, so
 * that the check for an update already applied reads only what is new since the last check
 * instead of the whole window every time.
 *
 * <p>It holds the ({@code service_request_id}, {@code update_id}) pairs seen, with their
 * {@code updated_datetime}, and a watermark: the time of the last read, up to which the feed is
 * known. Before the first read the next read is the whole window; after it, from the watermark
 * less {@link #OVERLAP}, never from before the window. Pairs older than the window are dropped,
 * as a search of the window would not find them either. A pair this instance POSTed is added at
 * once but does not move the watermark: the POST shows only itself, not what else the feed holds.
 * A POST that failed may still be applied, and show in the feed later dated before the watermark
 * (other threads' reads move it meanwhile): the next read for that pair starts below its date.
 *
 * <p>Thread-safe. {@link #claim} keeps two threads from checking and POSTing one pair at once.
 */
final class SeenUpdates {
  /**
   * How far below the watermark each read starts again. Another process (or the back office,
   * when it stamps updates itself) dates an update by its own clock and the update shows in the
   * feed only once its POST arrives, so an update can appear dated a little before a read that
   * did not list it; and dates have whole seconds. Five seconds covers clock skew between hosts
   * kept by NTP and a POST that takes a few seconds to show. An update that appears later still,
   * dated further back, is not found. Each read lists about five seconds' worth of updates again, so a larger
   * overlap costs every apply.
   */
  static final Duration OVERLAP = Duration.ofSeconds(5);

  /** One update as the feed names it. */
  record Key(String caseId, String updateId) {}

  private record Dated(Instant updated, Key key) {}

  private final Duration window;
  private final Map<Key, Instant> seen = new HashMap<>();
  private final PriorityQueue<Dated> byAge = new PriorityQueue<>(
      Comparator.comparing(Dated::updated));
  private final Set<Key> claimed = new HashSet<>();
  private final Map<Key, Instant> failed = new HashMap<>();
  private Instant watermark;

  SeenUpdates(Duration window) {
    this.window = window;
  }

  /** The {@code updated_datetime} the feed showed (or this instance POSTed) for the pair. */
  synchronized Optional<Instant> find(Key key, Instant now) {
    prune(now);
    return Optional.ofNullable(seen.get(key));
  }

  /** Where the next read of the feed for {@code key} starts, for a read made at {@code now}. */
  synchronized Instant readFrom(Key key, Instant now) {
    Instant windowStart = now.minus(window);
    if (watermark == null) {
      return windowStart;
    }
    Instant from = watermark.minus(OVERLAP);
    Instant postFailed = failed.get(key);
    if (postFailed != null && postFailed.minus(OVERLAP).isBefore(from)) {
      from = postFailed.minus(OVERLAP);
    }
    return from.isAfter(windowStart) ? from : windowStart;
  }

  /**
   * Adds what a read from {@link #readFrom} made at {@code now} listed, and moves the watermark
   * to {@code now}. A read that finished after a later one leaves the later watermark.
   */
  synchronized void read(Instant now, List<ReportUpdate> listed) {
    for (ReportUpdate u : listed) {
      if (u.updateId().isPresent() && u.serviceRequestId().isPresent() && u.updated().isPresent()) {
        add(new Key(u.serviceRequestId().get(), u.updateId().get()), u.updated().get().toInstant());
      }
    }
    if (watermark == null || now.isAfter(watermark)) {
      watermark = now;
    }
    prune(now);
  }

  /** An update this instance POSTed, dated {@code updated}; the watermark stays. */
  synchronized void posted(Key key, Instant updated) {
    add(key, updated);
  }

  /** A POST of the pair dated {@code updated} that failed, and may yet have been applied. */
  synchronized void postFailed(Key key, Instant updated) {
    failed.merge(key, updated, (a, b) -> a.isBefore(b) ? a : b);
  }

  /**
   * Marks the pair as being checked and POSTed by the calling thread: false if another thread
   * holds it. Every true answer is followed by {@link #release}.
   */
  synchronized boolean claim(Key key) {
    return claimed.add(key);
  }

  synchronized void release(Key key) {
    claimed.remove(key);
  }

  private void add(Key key, Instant updated) {
    failed.remove(key);
    if (seen.putIfAbsent(key, updated) == null) {
      byAge.add(new Dated(updated, key));
    }
  }

  private void prune(Instant now) {
    Instant oldest = now.minus(window);
    while (!byAge.isEmpty() && byAge.peek().updated().isBefore(oldest)) {
      seen.remove(byAge.poll().key());
    }
    if (!failed.isEmpty()) {
      failed.values().removeIf(updated -> updated.isBefore(oldest));
    }
  }
}
