package org.civicsync.core.resilience;

import java.time.Duration;
import java.util.Optional;

/**
 * What a failure says about trying again. Exceptions from remote systems implement this so one
 * policy can serve every system: IO errors, 408, 429 and 5xx are retryable, other 4xx are not.
 */
public interface RetryAdvice {
  /** True when the same call may succeed if repeated later. */
  boolean isRetryable();

  /** The wait the remote system asked for ({@code Retry-After}), if it asked. */
  default Optional<Duration> retryAfter() {
    return Optional.empty();
  }

  /**
   * True when the failure says the remote system is unwell (IO, 5xx, timeouts), so it counts
   * towards opening the circuit; a 4xx for a bad request does not.
   */
  default boolean isSystemFailure() {
    return isRetryable();
  }
}
