package org.civicsync.examples.config;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.civicsync.core.resilience.ResiliencePolicy;

/**
 * How calls to each system of a jurisdiction are protected. Every key is optional; the defaults
 * are {@link ResiliencePolicy#ofDefaults()}.
 *
 * <pre>
 * resilience:
 *   open311: { max_attempts: 4, initial_backoff: 500ms, max_backoff: 30s }
 *   crm:     { failure_rate_threshold: 50, open_state_wait: 30s, calls_per_second: 20 }
 * </pre>
 */
public record ResilienceConfig(ResiliencePolicy open311, ResiliencePolicy crm) {
  static final Set<String> KEYS = Set.of("open311", "crm");
  static final Set<String> POLICY_KEYS = Set.of("max_attempts", "initial_backoff",
      "backoff_multiplier", "max_backoff", "jitter", "failure_rate_threshold", "minimum_calls",
      "sliding_window_size", "open_state_wait", "calls_per_second");

  public ResilienceConfig {
    Objects.requireNonNull(open311, "open311 == null");
    Objects.requireNonNull(crm, "crm == null");
  }

  public static ResilienceConfig ofDefaults() {
    return new ResilienceConfig(ResiliencePolicy.ofDefaults(), ResiliencePolicy.ofDefaults());
  }

  static ResilienceConfig read(Optional<ConfigNode> section) {
    if (section.isEmpty()) {
      return ofDefaults();
    }
    ConfigNode node = section.get();
    node.allowOnly(KEYS);
    return new ResilienceConfig(
        node.section("open311").map(ResilienceConfig::policy).orElse(ResiliencePolicy.ofDefaults()),
        node.section("crm").map(ResilienceConfig::policy).orElse(ResiliencePolicy.ofDefaults()));
  }

  private static ResiliencePolicy policy(ConfigNode node) {
    node.allowOnly(POLICY_KEYS);
    ResiliencePolicy.Builder b = ResiliencePolicy.builder();
    node.integer("max_attempts", 1, 100).ifPresent(b::maxAttempts);
    node.duration("initial_backoff").ifPresent(b::initialBackoff);
    node.number("backoff_multiplier", 1.0, 10.0).ifPresent(b::backoffMultiplier);
    node.duration("max_backoff").ifPresent(b::maxBackoff);
    node.number("jitter", 0.0, 0.99).ifPresent(b::jitter);
    node.number("failure_rate_threshold", 1, 100).ifPresent(v -> b.failureRateThreshold(v.floatValue()));
    node.integer("minimum_calls", 1, 10_000).ifPresent(b::minimumCalls);
    node.integer("sliding_window_size", 1, 10_000).ifPresent(b::slidingWindowSize);
    node.duration("open_state_wait").ifPresent(b::openStateWait);
    node.integer("calls_per_second", 1, 100_000).ifPresent(b::callsPerSecond);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      // The cross-field checks (maxBackoff >= initialBackoff, minimumCalls <= window).
      node.problems().add(node.path(), e.getMessage());
      return ResiliencePolicy.ofDefaults();
    }
  }
}
