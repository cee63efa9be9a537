package org.civicsync.core.crm.memory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmOperation;

/**
 * Failures planned for the next calls of an operation, so a test can drive the engine through
 * retries, dead items and ambiguous creates without a network. Each planned failure is used by
 * exactly one call, in the order planned.
 */
public final class Faults {

  /** One planned failure; {@code afterApplying} means the call takes effect, then the answer is lost. */
  record Fault(CrmException.Kind kind, Optional<Duration> retryAfter, boolean afterApplying,
      Optional<String> detail) {
    Fault(CrmException.Kind kind, Optional<Duration> retryAfter, boolean afterApplying) {
      this(kind, retryAfter, afterApplying, Optional.empty());
    }
  }

  private final Map<CrmOperation, Deque<Fault>> planned = new EnumMap<>(CrmOperation.class);

  Faults() {}

  /** The next {@code times} calls of {@code operation} fail with {@code kind}, changing nothing. */
  public Faults failNext(CrmOperation operation, int times, CrmException.Kind kind) {
    return plan(operation, times, new Fault(kind, Optional.empty(), false));
  }

  /**
   * As {@link #failNext(CrmOperation, int, CrmException.Kind)}, with the CRM's error text
   * {@code detail}: what a real CRM answers may echo the values it was sent.
   */
  public Faults failNext(CrmOperation operation, int times, CrmException.Kind kind,
      String detail) {
    Objects.requireNonNull(detail, "detail == null");
    return plan(operation, times, new Fault(kind, Optional.empty(), false, Optional.of(detail)));
  }

  /** As {@link #failNext(CrmOperation, int, CrmException.Kind)}, TRANSIENT with a Retry-After. */
  public Faults failNextTransiently(CrmOperation operation, int times, Duration retryAfter) {
    Objects.requireNonNull(retryAfter, "retryAfter == null");
    return plan(operation, times,
        new Fault(CrmException.Kind.TRANSIENT, Optional.of(retryAfter), false));
  }

  /**
   * The next {@code times} calls of {@code operation} take effect and then throw
   * {@code OUTCOME_UNKNOWN}: a timeout after the CRM has done the work.
   */
  public Faults applyThenLoseAnswer(CrmOperation operation, int times) {
    return plan(operation, times,
        new Fault(CrmException.Kind.OUTCOME_UNKNOWN, Optional.empty(), true));
  }

  /** How many planned failures of {@code operation} are still to come. */
  public synchronized int pending(CrmOperation operation) {
    Deque<Fault> queue = planned.get(operation);
    return queue == null ? 0 : queue.size();
  }

  public synchronized void clear() {
    planned.clear();
  }

  synchronized Optional<Fault> next(CrmOperation operation) {
    Deque<Fault> queue = planned.get(operation);
    return queue == null ? Optional.empty() : Optional.ofNullable(queue.pollFirst());
  }

  private synchronized Faults plan(CrmOperation operation, int times, Fault fault) {
    Objects.requireNonNull(operation, "operation == null");
    Objects.requireNonNull(fault.kind(), "kind == null");
    if (times < 1) {
      throw new IllegalArgumentException("times must be at least 1, was " + times);
    }
    Deque<Fault> queue = planned.computeIfAbsent(operation, op -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      queue.addLast(fault);
    }
    return this;
  }
}
