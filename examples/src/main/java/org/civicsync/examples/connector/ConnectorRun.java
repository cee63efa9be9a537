package org.civicsync.examples.connector;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.civicsync.core.model.Redaction;
import org.civicsync.core.sync.PassResult;
import org.civicsync.core.sync.ServeMode;
import org.civicsync.examples.config.JurisdictionConfig;
import org.civicsync.examples.config.ServeConfig;
import org.civicsync.examples.server.JettyOpen311Host;
import org.civicsync.open311.server.Open311Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code civicsync run} runs: serving jurisdictions hosted on embedded Jetty (one server per
 * listen address, each jurisdiction under its path), and one {@link PollLoop} scheduling both the
 * polling jurisdictions' passes and the serving jurisdictions' background work
 * ({@link ServeMode#work}: queued creates, CRM changes into the updates feed) every
 * {@code serve.every}. {@link #run()} blocks until {@link #stop()}; {@link #close()} then stops
 * Jetty gracefully (requests in flight finish first). It does not close the {@link Connector}.
 */
public final class ConnectorRun implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConnectorRun.class);

  private final List<JettyOpen311Host> hosts;
  private final Map<String, String> urls;
  private final Map<String, Duration> schedule;
  private final PollLoop loop;

  private ConnectorRun(List<JettyOpen311Host> hosts, Map<String, String> urls,
      Map<String, Duration> schedule, PollLoop loop) {
    this.hosts = hosts;
    this.urls = urls;
    this.schedule = schedule;
    this.loop = loop;
  }

  /**
   * Starts serving (if any jurisdiction serves) and prepares the loop; call {@link #run()} next.
   *
   * @throws IllegalStateException when a jurisdiction both polls and serves (not supported yet)
   * @throws Exception when Jetty cannot listen
   */
  public static ConnectorRun start(Connector connector, Clock clock, PollLoop.Pause pause,
      Consumer<PassResult> listener, Duration stopTimeout) throws Exception {
    Objects.requireNonNull(connector, "connector == null");
    List<JurisdictionConfig> both = connector.config().jurisdictions().stream()
        .filter(j -> j.poll().isPresent() && j.serve().isPresent()).toList();
    if (!both.isEmpty()) {
      throw new IllegalStateException("jurisdiction " + both.get(0).id() + " both polls and "
          + "serves, which run does not support yet: configure poll or serve for it, not both");
    }
    Map<String, Duration> schedule = new LinkedHashMap<>();
    Map<String, Map<String, Open311Server>> mounts = new LinkedHashMap<>();
    Map<String, List<String>> jurisdictionsAt = new LinkedHashMap<>();
    for (JurisdictionConfig j : connector.config().jurisdictions()) {
      j.poll().ifPresent(p -> schedule.put(j.id(), p.every()));
      if (j.serve().isPresent()) {
        ServeConfig serve = j.serve().get();
        // A fanned-out jurisdiction's background work runs per branch (one CRM each).
        Connector.servingIds(j).forEach(id -> schedule.put(id, serve.every()));
        String address = serve.listenHost() + ":" + serve.listenPort();
        mounts.computeIfAbsent(address, a -> new LinkedHashMap<>())
            .put(serve.path(), connector.servers().get(j.id()));
        jurisdictionsAt.computeIfAbsent(address, a -> new ArrayList<>()).add(j.id());
      }
    }
    List<JettyOpen311Host> hosts = new ArrayList<>();
    Map<String, String> urls = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, Map<String, Open311Server>> at : mounts.entrySet()) {
        JurisdictionConfig first = connector.config().jurisdiction(
            jurisdictionsAt.get(at.getKey()).get(0)).orElseThrow();
        ServeConfig serve = first.serve().orElseThrow();
        JettyOpen311Host host = JettyOpen311Host.start(at.getValue(), serve.listenHost(),
            serve.listenPort(), stopTimeout);
        hosts.add(host);
        for (String id : jurisdictionsAt.get(at.getKey())) {
          urls.put(id, "http://" + serve.listenHost() + ":" + host.port()
              + connector.config().jurisdiction(id).orElseThrow().serve().orElseThrow().path());
        }
      }
    } catch (Exception e) {
      closeAll(hosts);
      throw e;
    }
    PollLoop loop = new PollLoop(pass(connector), schedule, clock, pause, listener);
    return new ConnectorRun(List.copyOf(hosts), Map.copyOf(urls), Map.copyOf(schedule), loop);
  }

  private static java.util.function.Function<String, PassResult> pass(Connector connector) {
    return id -> {
      try (LogContext j = LogContext.put("jurisdiction", id)) {
        if (connector.serveMode().filter(s -> s.jurisdictions().containsKey(id)).isEmpty()) {
          return connector.engine().orElseThrow().runOnce(id);
        }
        try {
          return connector.serveMode().orElseThrow().work(id);
        } catch (RuntimeException e) {
          log.warn("serve-mode background work of {} failed: {}", id, Redaction.toString(e));
          return new PassResult(id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
        }
      }
    };
  }

  /**
   * Each jurisdiction scheduled, polling or serving, with its interval; a fanned-out one by its
   * branches ({@code <jurisdiction>/<prefix>}).
   */
  public Map<String, Duration> schedule() {
    return schedule;
  }

  /** The URL each serving jurisdiction answers under (with the port Jetty actually bound). */
  public Map<String, String> urls() {
    return urls;
  }

  /** Runs passes and background work until {@link #stop()}. */
  public void run() {
    loop.run();
  }

  /** Asks {@link #run()} to return after the pass in progress. */
  public void stop() {
    loop.stop();
  }

  public boolean awaitFinished(Duration timeout) throws InterruptedException {
    return loop.awaitFinished(timeout);
  }

  /** Stops the loop and then Jetty, which lets the requests in flight finish first. */
  @Override
  public void close() {
    loop.stop();
    closeAll(hosts);
  }

  private static void closeAll(List<JettyOpen311Host> hosts) {
    for (JettyOpen311Host host : hosts) {
      try {
        host.close();
      } catch (Exception e) {
        log.warn("stopping the Open311 server failed: {}", Redaction.toString(e));
      }
    }
  }
}
