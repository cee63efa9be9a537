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
 * </pre>
 */
public record OperationConfig(String listenHost, Optional<Integer> listenPort) {
  static final Set<String> KEYS = Set.of("listen_host", "listen_port");

  public OperationConfig {
    java.util.Objects.requireNonNull(listenHost, "listenHost == null");
    java.util.Objects.requireNonNull(listenPort, "listenPort == null");
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
        node.integer("listen_port", 0, 65_535));
  }
}
