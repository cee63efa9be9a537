package org.civicsync.examples.config;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.civicsync.core.model.W3cDateTime;
import org.civicsync.core.sync.SyncSettings;

/**
 * Reads a jurisdiction's {@code sync} section into {@link SyncSettings}. {@code backfill_from} is
 * a W3C datetime, or a duration meaning "that long before now" (used only while the store has no
 * cursor yet, so a restart never re-reads from a moving start).
 *
 * <pre>
 * sync:
 *   backfill_from: 7d                 # or 2026-01-01T00:00:00Z
 *   overlap: 10m                      # how far each read goes back over the last
 *   page_size: 500
 *   work_batch: 200
 *   max_attempts: 8                   # then the work item is DEAD (see dead-letters)
 *   retry_backoff: 30s                # doubling per attempt, capped at an hour
 *   claim_ttl: 5m
 * </pre>
 */
final class SyncConfig {
  static final Set<String> KEYS = Set.of("backfill_from", "overlap", "page_size", "work_batch",
      "max_attempts", "retry_backoff", "claim_ttl");
  static final Duration DEFAULT_BACKFILL = Duration.ofDays(1);

  private SyncConfig() {}

  static SyncSettings read(Optional<ConfigNode> section, Clock clock) {
    SyncSettings defaults = SyncSettings.ofDefaults(clock.instant().minus(DEFAULT_BACKFILL));
    if (section.isEmpty()) {
      return defaults;
    }
    ConfigNode node = section.get();
    node.allowOnly(KEYS);
    Instant backfillFrom = backfillFrom(node, clock).orElse(defaults.backfillFrom());
    return new SyncSettings(backfillFrom,
        node.duration("overlap").orElse(defaults.overlap()),
        node.integer("page_size", 1, 1_000).orElse(defaults.pageSize()),
        node.integer("work_batch", 1, 10_000).orElse(defaults.workBatch()),
        node.integer("max_attempts", 1, 1_000).orElse(defaults.maxAttempts()),
        node.duration("retry_backoff").orElse(defaults.retryBackoff()),
        node.duration("claim_ttl").orElse(defaults.claimTtl()));
  }

  private static Optional<Instant> backfillFrom(ConfigNode node, Clock clock) {
    Object raw = node.raw("backfill_from");
    if (raw == null) {
      return Optional.empty();
    }
    String text = raw.toString().strip();
    Optional<Duration> ago = ConfigNode.parseDuration(text);
    if (ago.isPresent() && !ago.get().isNegative()) {
      return Optional.of(clock.instant().minus(ago.get()));
    }
    try {
      return Optional.of(W3cDateTime.parse(text).toInstant());
    } catch (RuntimeException e) {
      node.problems().add(node.path("backfill_from"), "must be a datetime with a zone such as "
          + "2026-01-01T00:00:00Z, or a duration before now such as 7d, not '" + text + "'");
      return Optional.empty();
    }
  }
}
