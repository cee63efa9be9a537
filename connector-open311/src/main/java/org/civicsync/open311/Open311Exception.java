package org.civicsync.open311;

import org.civicsync.core.resilience.RetryAdvice;

/**
 * A call to an Open311 endpoint failed. Subclasses say how: the endpoint answered with errors
 * ({@link Open311ErrorResponseException}), answered something unreadable
 * ({@link Open311FormatException}), or could not be reached ({@link Open311TransportException}).
 */
public class Open311Exception extends RuntimeException implements RetryAdvice {
  public Open311Exception(String message) {
    super(message);
  }

  public Open311Exception(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean isRetryable() {
    return false;
  }
}
