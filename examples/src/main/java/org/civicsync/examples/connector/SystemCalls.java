package org.civicsync.examples.connector;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls and failures per remote system ({@code open311:bristol}, {@code crm:bristol-servicenow}),
 * as seen by the connector's decorators: what {@code once} turns into its exit code and what
 * {@code /metrics} reports. Thread-safe.
 */
public final class SystemCalls {
  /** One system's totals. */
  public record Totals(long calls, long failures, Optional<Instant> lastFailure,
      Optional<String> lastError) {}

  private final Clock clock;
  private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastFailure = new ConcurrentHashMap<>();
  private final Map<String, String> lastError = new ConcurrentHashMap<>();

  public SystemCalls(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  void called(String system) {
    calls.computeIfAbsent(system, s -> new AtomicLong()).incrementAndGet();
  }

  /** Records a failure; {@code error} must name no personal data (exception class and status). */
  void failed(String system, String error) {
    failures.computeIfAbsent(system, s -> new AtomicLong()).incrementAndGet();
    lastFailure.put(system, clock.instant());
    lastError.put(system, error);
  }

  /** Every system called so far, by name. */
  public Map<String, Totals> totals() {
    Map<String, Totals> out = new TreeMap<>();
    calls.forEach((system, n) -> out.put(system, new Totals(n.get(),
        Optional.ofNullable(failures.get(system)).map(AtomicLong::get).orElse(0L),
        Optional.ofNullable(lastFailure.get(system)), Optional.ofNullable(lastError.get(system)))));
    return out;
  }

  public long failures() {
    return failures.values().stream().mapToLong(AtomicLong::get).sum();
  }
}
