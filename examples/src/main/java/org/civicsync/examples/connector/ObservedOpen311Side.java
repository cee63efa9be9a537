package org.civicsync.examples.connector;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.sync.Open311Side;

/**
 * An {@link Open311Side} that counts its calls and failures in {@link SystemCalls} and puts the
 * system (and, for a posted update, the report) in the logging MDC for the call's duration; each
 * call is logged at DEBUG with its duration.
 */
final class ObservedOpen311Side implements Open311Side {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ObservedOpen311Side.class);

  private final Open311Side delegate;
  private final String system;
  private final SystemCalls calls;

  ObservedOpen311Side(Open311Side delegate, String system, SystemCalls calls) {
    this.delegate = delegate;
    this.system = system;
    this.calls = calls;
  }

  @Override
  public List<Report> requestsBetween(OffsetDateTime start, OffsetDateTime end) {
    return observed("requestsBetween", null, () -> delegate.requestsBetween(start, end));
  }

  @Override
  public List<Report> requestsById(List<String> ids) {
    return observed("requestsById", null, () -> delegate.requestsById(ids));
  }

  @Override
  public Optional<List<ReportUpdate>> updatesBetween(OffsetDateTime start, OffsetDateTime end) {
    return observed("updatesBetween", null, () -> delegate.updatesBetween(start, end));
  }

  @Override
  public boolean acceptsUpdates() {
    return delegate.acceptsUpdates();
  }

  @Override
  public String postUpdate(ReportUpdate update) {
    return observed("postUpdate", update.serviceRequestId().orElse(null), () -> delegate.postUpdate(update));
  }

  private <T> T observed(String what, String report, Supplier<T> call) {
    calls.called(system);
    long started = System.nanoTime();
    try (LogContext s = LogContext.put("system", system);
         LogContext r = LogContext.put("report", report)) {
      try {
        T result = call.get();
        log.debug("{} answered in {} ms", what, (System.nanoTime() - started) / 1_000_000);
        return result;
      } catch (RuntimeException e) {
        calls.failed(system, e.getClass().getSimpleName());
        log.debug("{} failed in {} ms: {}", what, (System.nanoTime() - started) / 1_000_000,
            e.getClass().getSimpleName());
        throw e;
      }
    }
  }
}
