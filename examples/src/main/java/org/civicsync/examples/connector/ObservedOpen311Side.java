package org.civicsync.examples.connector;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.sync.Open311Side;
import org.slf4j.MDC;

/**
 * An {@link Open311Side} that counts its calls and failures in {@link SystemCalls} and puts the
 * system (and, for a posted update, the report) in the logging MDC for the call's duration.
 */
final class ObservedOpen311Side implements Open311Side {
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
    return observed(null, () -> delegate.requestsBetween(start, end));
  }

  @Override
  public List<Report> requestsById(List<String> ids) {
    return observed(null, () -> delegate.requestsById(ids));
  }

  @Override
  public Optional<List<ReportUpdate>> updatesBetween(OffsetDateTime start, OffsetDateTime end) {
    return observed(null, () -> delegate.updatesBetween(start, end));
  }

  @Override
  public boolean acceptsUpdates() {
    return delegate.acceptsUpdates();
  }

  @Override
  public String postUpdate(ReportUpdate update) {
    return observed(update.serviceRequestId().orElse(null), () -> delegate.postUpdate(update));
  }

  private <T> T observed(String report, Supplier<T> call) {
    calls.called(system);
    try (MDC.MDCCloseable s = MDC.putCloseable("system", system);
         MDC.MDCCloseable r = MDC.putCloseable("report", report)) {
      return call.get();
    } catch (RuntimeException e) {
      calls.failed(system, e.getClass().getSimpleName());
      throw e;
    }
  }
}
