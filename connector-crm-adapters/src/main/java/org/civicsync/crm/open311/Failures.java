package org.civicsync.crm.open311;

import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.civicsync.core.resilience.RemoteSystemUnavailableException;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.crm.http.HttpFailure;
import org.civicsync.open311.Open311Error;
import org.civicsync.open311.Open311ErrorResponseException;
import org.civicsync.open311.Open311Exception;
import org.civicsync.open311.Open311FormatException;
import org.civicsync.open311.Open311TransportException;

/**
 * Turns the Open311 client's typed failures into {@link CrmException} kinds. GeoReport v2 says
 * 403 for a missing or bad {@code api_key}, 404 for an unknown resource, 400 for anything else;
 * 408, 429 and 5xx are the host's. An error document inside a 2xx (FixMyStreet counts it as a
 * failure) is permanent. A write with no readable answer may have been applied.
 */
final class Failures {
  private Failures() {}

  static CrmException of(String system, CrmOperation operation, boolean write, RuntimeException e,
      UnaryOperator<CrmException.Builder> subject) {
    if (e instanceof CrmException crm) {
      return crm;
    }
    if (e instanceof Open311ErrorResponseException r) {
      int status = r.httpStatus();
      CrmException.Kind kind = status < 300 ? CrmException.Kind.PERMANENT
          : status == 401 || status == 403 ? CrmException.Kind.AUTHENTICATION
          : HttpFailure.kindOf(status);
      CrmException.Builder b = subject.apply(CrmException.of(kind, system, operation))
          .detail("HTTP " + status + describe(r)).cause(e);
      if (kind == CrmException.Kind.TRANSIENT) {
        r.retryAfter().ifPresent(b::retryAfter);
      }
      return b.build();
    }
    if (e instanceof Open311TransportException t) {
      CrmException.Kind kind = write && t.mayHaveReachedServer()
          ? CrmException.Kind.OUTCOME_UNKNOWN : CrmException.Kind.TRANSIENT;
      return subject.apply(CrmException.of(kind, system, operation))
          .detail("no answer: " + (t.getCause() == null ? "transport failure"
              : t.getCause().getClass().getSimpleName())).cause(e).build();
    }
    if (e instanceof Open311FormatException f) {
      // The back office answered, but not in GeoReport v2: a write may still have been applied.
      CrmException.Kind kind = write ? CrmException.Kind.OUTCOME_UNKNOWN : CrmException.Kind.PERMANENT;
      return subject.apply(CrmException.of(kind, system, operation))
          .detail("unreadable answer: " + f.getMessage()).cause(e).build();
    }
    if (e instanceof RemoteSystemUnavailableException u) {
      return subject.apply(CrmException.of(CrmException.Kind.TRANSIENT, system, operation))
          .detail(u.getMessage()).cause(e).build();
    }
    if (e instanceof Open311Exception o) {
      return subject.apply(CrmException.of(CrmException.Kind.PERMANENT, system, operation))
          .detail(o.getMessage()).cause(e).build();
    }
    throw e;
  }

  /** The back office's own {@code code: description} pairs: its words, never a citizen's. */
  private static String describe(Open311ErrorResponseException r) {
    return r.errors().isEmpty() ? ""
        : " " + r.errors().stream().map(Open311Error::toString).collect(Collectors.joining("; "));
  }
}
