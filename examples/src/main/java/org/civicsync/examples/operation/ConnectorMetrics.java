package org.civicsync.examples.operation;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.civicsync.core.resilience.RemoteSystem;
import org.civicsync.core.store.OutboxState;
import org.civicsync.core.sync.PassResult;
import org.civicsync.examples.config.JurisdictionConfig;
import org.civicsync.examples.connector.Connector;
import org.civicsync.examples.connector.SystemCalls;

/**
 * The connector's meters: reports synced, updates delivered each way, failures per system, outbox
 * depth per state, poll lag, circuit-breaker state, and serve mode's undrained receipts. Counters grow from each {@link PassResult};
 * gauges read the store and the guards when scraped. Labels are jurisdictions, systems and states,
 * never report ids or personal data.
 */
public final class ConnectorMetrics {
  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<String, Instant> lastPass = new ConcurrentHashMap<>();
  private final Connector connector;
  private final Instant started;

  public ConnectorMetrics(MeterRegistry registry, Connector connector, Clock clock) {
    this.registry = Objects.requireNonNull(registry, "registry == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.connector = connector;
    this.started = clock.instant();
    SystemCalls calls = connector.calls();
    connector.serveMode().ifPresent(serve -> {
      for (JurisdictionConfig j : connector.config().jurisdictions()) {
        if (j.serve().isEmpty()) {
          continue;
        }
        for (String id : Connector.servingIds(j)) {
          // Known for a receipt log (H2 file); a PostgreSQL table would need a count per scrape.
          if (serve.undrained(id).isPresent()) {
            Gauge.builder("civicsync.serve.receipts.pending", serve,
                    s -> s.undrained(id).orElse(0))
                .description("Queued reports answered and not yet drained into links and work")
                .tag("jurisdiction", id).register(registry);
          }
        }
      }
    });
    for (JurisdictionConfig j : connector.config().jurisdictions()) {
      if (connector.engine().map(e -> !e.jurisdictions().containsKey(j.id())).orElse(true)) {
        continue;
      }
      String id = j.id();
      lastPass.put(id, started);
      for (OutboxState state : OutboxState.values()) {
        Gauge.builder("civicsync.outbox.items", connector, c -> c.store().outbox().counts(id).get(state))
            .description("Work items in the outbox by state").tag("jurisdiction", id)
            .tag("state", state.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
      }
      Gauge.builder("civicsync.poll.lag", this, m -> m.lag(id).toMillis() / 1000.0)
          .description("Seconds since the jurisdiction's last successful poll (since start before one)")
          .baseUnit("seconds")
          .tag("jurisdiction", id).register(registry);
      for (String system : new String[] {"open311:" + id, "crm:" + j.crm().name()}) {
        FunctionCounter.builder("civicsync.system.calls", calls, c -> total(c, system, false))
            .description("Calls to a remote system").tag("system", system).register(registry);
        FunctionCounter.builder("civicsync.system.errors", calls, c -> total(c, system, true))
            .description("Failed calls to a remote system").tag("system", system).register(registry);
      }
      connector.crmGuard(id).ifPresent(g -> breaker(g, "crm:" + j.crm().name()));
      connector.open311(id).ifPresent(c -> breaker(c.remoteSystem(), "open311:" + id));
    }
  }

  /** Counts what a pass did. */
  public void passDone(PassResult r) {
    String j = r.jurisdiction();
    counter("civicsync.reports.synced", "Reports whose CRM case was created", j).increment(r.casesCreated());
    Counter.builder("civicsync.updates.delivered").description("Updates delivered")
        .tag("jurisdiction", j).tag("to", "open311").register(registry).increment(r.updatesDelivered());
    Counter.builder("civicsync.updates.delivered").description("Updates delivered")
        .tag("jurisdiction", j).tag("to", "crm").register(registry).increment(r.crmUpdatesApplied());
    counter("civicsync.work.failed", "Work item attempts that failed", j).increment(r.workFailed());
    lastPass.put(j, clock.instant());
  }

  /**
   * Time since the jurisdiction's last successful poll, as the store records it for every node
   * (a quiet endpoint is polled successfully too); since this connector started before any.
   */
  public Duration lag(String jurisdiction) {
    Instant last = PollFreshness.lastSuccess(connector, jurisdiction).orElse(started);
    return Duration.between(last, clock.instant());
  }

  private Counter counter(String name, String description, String jurisdiction) {
    return Counter.builder(name).description(description).tag("jurisdiction", jurisdiction)
        .register(registry);
  }

  private void breaker(RemoteSystem guard, String system) {
    // 0 closed, 1 open, 2 half open, 3 other (disabled, forced open, metrics only).
    Gauge.builder("civicsync.circuit.breaker.state", guard, g -> switch (g.circuitBreaker().getState()) {
          case CLOSED -> 0;
          case OPEN -> 1;
          case HALF_OPEN -> 2;
          default -> 3;
        })
        .description("Circuit breaker: 0 closed, 1 open, 2 half open, 3 other")
        .tag("system", system).register(registry);
  }

  private static double total(SystemCalls calls, String system, boolean failures) {
    SystemCalls.Totals t = calls.totals().get(system);
    return t == null ? 0 : failures ? t.failures() : t.calls();
  }

  static CircuitBreaker.State stateOf(RemoteSystem guard) {
    return guard.circuitBreaker().getState();
  }
}
