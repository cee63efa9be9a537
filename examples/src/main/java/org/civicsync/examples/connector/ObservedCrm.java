package org.civicsync.examples.connector;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Objects;
import java.util.Optional;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmCapability;
import org.civicsync.core.spi.CrmException;
import org.slf4j.MDC;

/**
 * A {@link CrmAdapter} whose every capability counts its calls and failures in
 * {@link SystemCalls} and sets the system in the logging MDC. The engine only ever asks
 * {@link #capability(Class)}, so wrapping each capability in a proxy observes all of them
 * without knowing the adapter.
 */
final class ObservedCrm implements CrmAdapter {
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
      try (MDC.MDCCloseable s = MDC.putCloseable("system", system)) {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        calls.failed(system, cause instanceof CrmException crm ? "CrmException " + crm.kind()
            : cause.getClass().getSimpleName());
        throw cause;
      }
    };
  }

  @Override
  public void close() {
    delegate.close();
  }
}
