package org.civicsync.crm.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import org.civicsync.core.spi.CrmException;

/**
 * Which {@link CrmException.Kind} an HTTP CRM call failed with. Exists because the ServiceNow
 * Table API and Salesforce REST API clients each had the same status table, Retry-After parsing
 * and "no answer" rule; the vendor's own error codes and wording stay in each client.
 */
public final class HttpFailure {
  private HttpFailure() {}

  /**
   * The kind for a non-2xx status: 401 and 403 are {@code AUTHENTICATION}, 404 is
   * {@code NOT_FOUND}, 408, 429 and 5xx are {@code TRANSIENT}, anything else {@code PERMANENT}.
   */
  public static CrmException.Kind kindOf(int status) {
    if (status == 401 || status == 403) {
      return CrmException.Kind.AUTHENTICATION;
    } else if (status == 404) {
      return CrmException.Kind.NOT_FOUND;
    } else if (status == 408 || status == 429 || status >= 500) {
      return CrmException.Kind.TRANSIENT;
    }
    return CrmException.Kind.PERMANENT;
  }

  /**
   * The kind when a request got no answer: not sent at all (refused connection, unknown host) is
   * safe to retry; anything later may have reached the CRM, so a write's outcome is unknown.
   */
  public static CrmException.Kind noAnswer(IOException e, boolean write) {
    boolean unsent = e instanceof ConnectException || e instanceof UnknownHostException;
    return write && !unsent ? CrmException.Kind.OUTCOME_UNKNOWN : CrmException.Kind.TRANSIENT;
  }

  /** A Retry-After header in seconds; an HTTP date or anything else is ignored. */
  public static Optional<Duration> retryAfter(Optional<String> header) {
    return header.map(String::trim).filter(v -> v.matches("\\d{1,9}"))
        .map(v -> Duration.ofSeconds(Long.parseLong(v)));
  }
}
