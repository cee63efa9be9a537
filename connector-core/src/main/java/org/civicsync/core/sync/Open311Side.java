package org.civicsync.core.sync;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.ReportUpdate;

/**
 * The Open311 endpoint as the engine sees it in poll mode. {@code connector-open311} implements it
 * over its HTTP client; core knows nothing of HTTP. Failures are runtime exceptions; those that
 * implement {@link org.civicsync.core.resilience.RetryAdvice} say whether trying again may help.
 */
public interface Open311Side {
  /** Every request made in the window (complete: the implementation pages as needed). */
  List<Report> requestsBetween(OffsetDateTime start, OffsetDateTime end);

  /** The requests with these ids, as they are now. */
  List<Report> requestsById(List<String> ids);

  /** The updates feed for a window; empty when the endpoint has none. */
  Optional<List<ReportUpdate>> updatesBetween(OffsetDateTime start, OffsetDateTime end);

  /** True when the endpoint takes {@code POST servicerequestupdates}. */
  boolean acceptsUpdates();

  /** Posts an update; the receiver dedupes on its update_id, so a resend is safe. */
  String postUpdate(ReportUpdate update);
}
