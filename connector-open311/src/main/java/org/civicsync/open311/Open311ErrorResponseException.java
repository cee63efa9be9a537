package org.civicsync.open311;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The endpoint answered with an error: an HTTP error status, or an {@code <errors>} document inside
 * a 2xx (which FixMyStreet also counts as failure). Carries every {@code {code, description}} pair.
 */
public final class Open311ErrorResponseException extends Open311Exception {
  private final int httpStatus;
  private final List<Open311Error> errors;
  private final Optional<Duration> retryAfter;

  public Open311ErrorResponseException(String call, int httpStatus, List<Open311Error> errors,
      Optional<Duration> retryAfter) {
    super(call + " failed: HTTP " + httpStatus
        + (errors.isEmpty() ? "" : " " + errors));
    this.httpStatus = httpStatus;
    this.errors = List.copyOf(errors);
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter == null");
  }

  public int httpStatus() {
    return httpStatus;
  }

  public List<Open311Error> errors() {
    return errors;
  }

  /** 408, 429 and 5xx may pass; other statuses (and errors inside a 2xx) will not. */
  @Override
  public boolean isRetryable() {
    return httpStatus == 408 || httpStatus == 429 || httpStatus >= 500;
  }

  @Override
  public boolean isSystemFailure() {
    return httpStatus == 408 || httpStatus >= 500;
  }

  @Override
  public Optional<Duration> retryAfter() {
    return retryAfter;
  }
}
