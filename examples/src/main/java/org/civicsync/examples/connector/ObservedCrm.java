package org.civicsync.examples.connector;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Objects;
import java.util.Optional;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmCapability;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CaseUpdate;
import org.civicsync.core.spi.NewCase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CrmAdapter} whose every capability counts its calls and failures in
 * {@link SystemCalls} and, for the call's duration, puts in the logging MDC the system
 * ({@code system=crm:<name>}) and what the call is about: {@code report} (the Open311 id, the
 * case's external reference) for a create or a lookup, {@code case} (the CRM id) for an update.
 * Each call is logged at DEBUG with its duration. The engine only ever asks
 * {@link #capability(Class)}, so wrapping each capability in a proxy observes all of them
 * without knowing the adapter.
 */
final class ObservedCrm implements CrmAdapter {
  private static final Logger log = LoggerFactory.getLogger(ObservedCrm.class);

  private final CrmAdapter delegate;
  private final String system;
  private final SystemCalls calls;

  ObservedCrm(CrmAdapter delegate, SystemCalls calls) {
    this.delegate = Objects.requireNonNull(delegate, "delegate == null");
    this.system = "crm:" + delegate.name();
    this.calls = Objects.requireNonNull(calls, "calls == null");
  }

  CrmAdapter delegate() {
    return delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public <T extends CrmCapability> Optional<T> capability(Class<T> type) {
    return delegate.capability(type).map(target -> type.cast(Proxy.newProxyInstance(
        type.getClassLoader(), new Class<?>[] {type}, observing(target))));
  }

  private InvocationHandler observing(Object target) {
    return (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return method.invoke(target, args);
      }
      calls.called(system);
      Object subject = args == null || args.length == 0 ? null : args[0];
      long started = System.nanoTime();
      try (LogContext s = LogContext.put("system", system);
           LogContext r = LogContext.put("report", report(subject));
           LogContext k = LogContext.put("case", caseId(subject))) {
        try {
          Object result = method.invoke(target, args);
          log.debug("{} answered in {} ms", method.getName(), (System.nanoTime() - started) / 1_000_000);
          return result;
        } catch (InvocationTargetException e) {
          Throwable cause = e.getCause();
          String error = cause instanceof CrmException crm ? "CrmException " + crm.kind()
              : cause.getClass().getSimpleName();
          calls.failed(system, error);
          log.debug("{} failed in {} ms: {}", method.getName(),
              (System.nanoTime() - started) / 1_000_000, error);
          throw cause;
        }
      }
    };
  }

  /** The Open311 id a call is about: a new case's external reference, or the one looked up. */
  private static String report(Object subject) {
    if (subject instanceof NewCase c) {
      return c.externalReference();
    }
    return subject instanceof String reference ? reference : null;
  }

  private static String caseId(Object subject) {
    return subject instanceof CaseUpdate u ? u.caseId() : null;
  }

  @Override
  public void close() {
    delegate.close();
  }
}
