package org.civicsync.core.resilience;

/** The circuit to a remote system is open: calls fail at once until it is probed again. */
public final class RemoteSystemUnavailableException extends RuntimeException implements RetryAdvice {
  private final String system;

  public RemoteSystemUnavailableException(String system, String circuitState) {
    super(system + ": circuit breaker is " + circuitState
        + " after repeated failures; calls are refused until it half-opens");
    this.system = system;
  }

  public String system() {
    return system;
  }

  /** Not retried within a call: waiting out an open circuit is the scheduler's job. */
  @Override
  public boolean isRetryable() {
    return false;
  }

  @Override
  public boolean isSystemFailure() {
    return false;
  }
}
