package org.civicsync.examples.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Serve mode: the connector is the council's Open311 endpoint, which FixMyStreet sends to.
 * {@code civicsync run} serves it on embedded Jetty at {@code http://listen_host:listen_port/path}
 * and works its outbox and CRM changes every {@code every}.
 *
 * <pre>
 * serve:
 *   listen_host: 127.0.0.1            # default 127.0.0.1; 0.0.0.0 for every interface
 *   listen_port: 8311                 # default 8311; 0 picks a free port
 *   path: /open311/v2/bristol/        # where FixMyStreet sends, under the listen address
 *   api_key: ${env:BRISTOL_INBOUND_KEY}  # the key FixMyStreet must send
 *   queued: false                     # true: answer a token at once, create the case from the outbox
 *   every: 2s                         # background work: queued creates, CRM changes into the feed
 *   services_from_crm: false          # true: publish the CRM's catalogue (mapped) as the service list
 *   services_refresh: 10m             # with services_from_crm: how long a fetched list is kept
 * </pre>
 *
 * Several jurisdictions may share a listen address if their paths differ. With
 * {@code services_from_crm} the list is the CRM's case types that the mapping maps, served whole or
 * answered 503 while the CRM cannot give it (FixMyStreet deletes categories a list leaves out).
 * With {@code fan_out} it is every branch's CRM catalogue, each giving only the codes its
 * {@code services} route to it, and 503 while any branch's CRM cannot give its part.
 */
public record ServeConfig(String listenHost, int listenPort, String path, Secret apiKey,
    boolean queued, Duration every, boolean servicesFromCrm, Duration servicesRefresh) {
  public static final int DEFAULT_PORT = 8311;
  public static final Duration DEFAULT_EVERY = Duration.ofSeconds(2);
  public static final Duration DEFAULT_SERVICES_REFRESH = Duration.ofMinutes(10);
  static final Set<String> KEYS = Set.of("listen_host", "listen_port", "path", "api_key", "queued",
      "every", "services_from_crm", "services_refresh");

  public ServeConfig {
    Objects.requireNonNull(listenHost, "listenHost == null");
    Objects.requireNonNull(path, "path == null");
    Objects.requireNonNull(apiKey, "apiKey == null");
    Objects.requireNonNull(every, "every == null");
    Objects.requireNonNull(servicesRefresh, "servicesRefresh == null");
    if (listenPort < 0 || listenPort > 65_535) {
      throw new IllegalArgumentException("listenPort out of range: " + listenPort);
    }
  }

  /** Serving the configured (mapping's) service list, as before services_from_crm existed. */
  public ServeConfig(String listenHost, int listenPort, String path, Secret apiKey, boolean queued,
      Duration every) {
    this(listenHost, listenPort, path, apiKey, queued, every, false, DEFAULT_SERVICES_REFRESH);
  }

  /** The address and path, e.g. {@code 127.0.0.1:8311/open311/v2/bristol/}. */
  public String describe() {
    return listenHost + ":" + listenPort + path;
  }

  static Optional<ServeConfig> read(ConfigNode node) {
    node.allowOnly(KEYS);
    String host = node.text("listen_host").orElse("127.0.0.1");
    int port = node.integer("listen_port", 0, 65_535).orElse(DEFAULT_PORT);
    Optional<String> path = node.requiredText("path", "where FixMyStreet sends, e.g. /open311/v2/bristol/");
    path.filter(p -> !p.startsWith("/") || !p.endsWith("/")).ifPresent(p -> node.problems().add(
        node.path("path"), "must start and end with /, e.g. /open311/v2/bristol/"));
    if (!node.has("api_key")) {
      node.problems().add(node.path("api_key"), "is required: the key FixMyStreet must send, "
          + "e.g. api_key: ${env:BRISTOL_INBOUND_KEY}");
    }
    Optional<Secret> apiKey = node.secret("api_key");
    boolean queued = node.bool("queued").orElse(false);
    Duration every = node.duration("every").orElse(DEFAULT_EVERY);
    boolean fromCrm = node.bool("services_from_crm").orElse(false);
    Duration refresh = node.duration("services_refresh").orElse(DEFAULT_SERVICES_REFRESH);
    if (node.has("services_refresh") && !fromCrm) {
      node.problems().add(node.path("services_refresh"), "only applies with services_from_crm: true;"
          + " remove it, or set services_from_crm: true to publish the CRM's catalogue");
    }
    if (path.isEmpty() || apiKey.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ServeConfig(host, port, path.get(), apiKey.get(), queued, every, fromCrm,
        refresh));
  }
}
