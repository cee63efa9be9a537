package org.civicsync.crm.testkit;

import java.time.Duration;

/**
 * A failure the system under test is asked to answer once, in its own way: a WireMock stub
 * answers the vendor's status code and documented error body, a sandbox may not support some.
 */
public enum Failure {
  /** The access token the adapter holds has expired: the next data call answers 401. */
  EXPIRED_TOKEN,
  /** 429 with {@code Retry-After: 30}. */
  TOO_MANY_REQUESTS,
  /** 503 (or the system's own server error). */
  SERVER_ERROR,
  /** The request arrives and no answer comes back before the adapter's read timeout. */
  TIMEOUT;

  /** The Retry-After every {@link #TOO_MANY_REQUESTS} carries, so the kit can check it. */
  public static final Duration RETRY_AFTER = Duration.ofSeconds(30);
}
