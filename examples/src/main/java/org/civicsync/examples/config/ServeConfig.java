package org.civicsync.examples.config;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Serve mode: the connector is the council's Open311 endpoint, which FixMyStreet sends to. Read
 * and checked here so a file written for it is valid today; the server itself is built separately
 * (see the README), and {@code run} says so when a jurisdiction asks for it.
 *
 * <pre>
 * serve:
 *   path: /open311/v2/bristol/        # under the connector's listen address
 *   api_key: ${env:BRISTOL_INBOUND_KEY}  # the key FixMyStreet must send
 *   queued: false                     # true: answer a token at once, create the case from the outbox
 * </pre>
 */
public record ServeConfig(String path, Secret apiKey, boolean queued) {
  static final Set<String> KEYS = Set.of("path", "api_key", "queued");

  public ServeConfig {
    Objects.requireNonNull(path, "path == null");
    Objects.requireNonNull(apiKey, "apiKey == null");
  }

  static Optional<ServeConfig> read(ConfigNode node) {
    node.allowOnly(KEYS);
    Optional<String> path = node.requiredText("path", "where FixMyStreet sends, e.g. /open311/v2/bristol/");
    path.filter(p -> !p.startsWith("/") || !p.endsWith("/")).ifPresent(p -> node.problems().add(
        node.path("path"), "must start and end with /, e.g. /open311/v2/bristol/"));
    if (!node.has("api_key")) {
      node.problems().add(node.path("api_key"), "is required: the key FixMyStreet must send, "
          + "e.g. api_key: ${env:BRISTOL_INBOUND_KEY}");
    }
    Optional<Secret> apiKey = node.secret("api_key");
    boolean queued = node.bool("queued").orElse(false);
    if (path.isEmpty() || apiKey.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ServeConfig(path.get(), apiKey.get(), queued));
  }
}
