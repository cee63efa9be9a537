package org.civicsync.examples.config;

import java.util.Optional;
import java.util.Set;

/**
 * The operator's endpoint of {@code civicsync run}: {@code /health} and Prometheus
 * {@code /metrics}, on loopback unless told otherwise.
 *
 * <pre>
 * operation:
 *   listen_host: 127.0.0.1
 *   listen_port: 9311                 # 0 picks a free port; absent: no endpoint
 *   stale_after_intervals: 3          # /health is DOWN when a polling jurisdiction has had no
 *                                     # successful poll for this many of its `every`
 * </pre>
 */
public record OperationConfig(String listenHost, Optional<Integer> listenPort,
    int staleAfterIntervals) {
  static final Set<String> KEYS = Set.of("listen_host", "listen_port", "stale_after_intervals");
  public static final int DEFAULT_STALE_AFTER_INTERVALS = 3;

  public OperationConfig {
    java.util.Objects.requireNonNull(listenHost, "listenHost == null");
    java.util.Objects.requireNonNull(listenPort, "listenPort == null");
    if (staleAfterIntervals < 1) {
      throw new IllegalArgumentException("staleAfterIntervals must be at least 1, was " + staleAfterIntervals);
    }
  }

  public OperationConfig(String listenHost, Optional<Integer> listenPort) {
    this(listenHost, listenPort, DEFAULT_STALE_AFTER_INTERVALS);
  }

  public static OperationConfig ofDefaults() {
    return new OperationConfig("127.0.0.1", Optional.empty());
  }

  static OperationConfig read(Optional<ConfigNode> section) {
    if (section.isEmpty()) {
      return ofDefaults();
    }
    ConfigNode node = section.get();
    node.allowOnly(KEYS);
    return new OperationConfig(node.text("listen_host").orElse("127.0.0.1"),
        node.integer("listen_port", 0, 65_535),
        node.integer("stale_after_intervals", 1, 1_000).orElse(DEFAULT_STALE_AFTER_INTERVALS));
  }
}
