package org.civicsync.examples.connector;

import org.slf4j.MDC;

/**
 * Puts one key in the logging MDC until closed, and nothing at all for a null value, so a line
 * never says {@code report=null}. Keys name what a line is about: {@code jurisdiction},
 * {@code system}, {@code report} (an Open311 id), {@code case} (a CRM id); never personal data.
 */
public final class LogContext implements AutoCloseable {
  private static final LogContext NONE = new LogContext(null);

  private final String key;

  private LogContext(String key) {
    this.key = key;
  }

  public static LogContext put(String key, String value) {
    if (value == null) {
      return NONE;
    }
    MDC.put(key, value);
    return new LogContext(key);
  }

  @Override
  public void close() {
    if (key != null) {
      MDC.remove(key);
    }
  }
}
