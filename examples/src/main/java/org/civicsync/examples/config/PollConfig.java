package org.civicsync.examples.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.civicsync.open311.Format;

/**
 * Poll mode: the connector pulls from a GeoReport v2 endpoint (FixMyStreet's public API or a
 * council's) every {@code every}.
 *
 * <pre>
 * poll:
 *   endpoint: https://www.fixmystreet.com/open311/v2/
 *   format: xml                       # or json
 *   jurisdiction_id: fixmystreet      # when the endpoint serves several
 *   api_key: ${env:FMS_API_KEY}       # sent with POSTs and the updates feed
 *   reads_updates: false              # the endpoint serves GET servicerequestupdates
 *   posts_updates: true               # the endpoint takes POST servicerequestupdates
 *   every: 60s
 *   connect_timeout: 10s
 *   read_timeout: 30s
 * </pre>
 */
public record PollConfig(
    URI endpoint, Format format, Optional<String> jurisdictionId, Optional<Secret> apiKey,
    boolean readsUpdates, boolean postsUpdates, Duration every, Duration connectTimeout,
    Duration readTimeout) {

  static final Set<String> KEYS = Set.of("endpoint", "format", "jurisdiction_id", "api_key",
      "reads_updates", "posts_updates", "every", "connect_timeout", "read_timeout");

  public PollConfig {
    Objects.requireNonNull(endpoint, "endpoint == null");
    Objects.requireNonNull(format, "format == null");
    Objects.requireNonNull(jurisdictionId, "jurisdictionId == null");
    Objects.requireNonNull(apiKey, "apiKey == null");
    Objects.requireNonNull(every, "every == null");
    Objects.requireNonNull(connectTimeout, "connectTimeout == null");
    Objects.requireNonNull(readTimeout, "readTimeout == null");
  }

  static Optional<PollConfig> read(ConfigNode node) {
    node.allowOnly(KEYS);
    Optional<URI> endpoint = node.url("endpoint",
        "the endpoint's base URL, ending in /, e.g. https://www.fixmystreet.com/open311/v2/");
    endpoint.filter(u -> !u.getPath().endsWith("/")).ifPresent(u -> node.problems().add(
        node.path("endpoint"), "must end in / (the client appends requests.xml and the like)"));
    Format format = Format.XML;
    Optional<String> formatText = node.text("format");
    if (formatText.isPresent()) {
      try {
        format = Format.parse(formatText.get());
      } catch (IllegalArgumentException e) {
        node.problems().add(node.path("format"), "must be xml or json, not '" + formatText.get() + "'");
      }
    }
    Optional<String> jurisdictionId = node.text("jurisdiction_id");
    Optional<Secret> apiKey = node.secret("api_key");
    boolean reads = node.bool("reads_updates").orElse(false);
    boolean posts = node.bool("posts_updates").orElse(false);
    Duration every = node.duration("every").orElse(Duration.ofMinutes(1));
    Duration connect = node.duration("connect_timeout").orElse(Duration.ofSeconds(10));
    Duration read = node.duration("read_timeout").orElse(Duration.ofSeconds(30));
    if (posts && !node.has("api_key")) {
      node.problems().add(node.path("api_key"), "is required when posts_updates is true: "
          + "FixMyStreet refuses updates without the site's key; write api_key: ${env:FMS_API_KEY}");
    }
    Format chosen = format;
    return endpoint.map(e -> new PollConfig(e, chosen, jurisdictionId, apiKey, reads, posts, every,
        connect, read));
  }
}
