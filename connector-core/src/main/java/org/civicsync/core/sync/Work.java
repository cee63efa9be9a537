package org.civicsync.core.sync;

import java.util.Objects;
import java.util.Optional;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.model.Status;

/** The kinds of outbox work the engine does, and their payloads. */
final class Work {
  static final String CREATE_CASE = "CREATE_CASE";
  static final String UPDATE_CASE = "UPDATE_CASE";
  static final String DELIVER_UPDATE = "DELIVER_UPDATE";

  private Work() {}

  /** Create the CRM case for an Open311 request. The idempotency key is {@code create:<open311 id>}. */
  record CreateCase(long linkId, Report report) {
    CreateCase {
      Objects.requireNonNull(report, "report == null");
    }
  }

  /**
   * Change a CRM case because of something on Open311: a note, a status, or a close.
   * {@code updateId} goes to the CRM, which dedupes on it, and comes back in its change feed,
   * where the engine recognises it as its own.
   */
  record UpdateCase(long linkId, String updateId, Optional<String> note, Optional<Status> status) {
    UpdateCase {
      Objects.requireNonNull(updateId, "updateId == null");
      Objects.requireNonNull(note, "note == null");
      Objects.requireNonNull(status, "status == null");
    }
  }

  /** Post a CRM change to the Open311 endpoint. */
  record DeliverUpdate(long linkId, ReportUpdate update) {
    DeliverUpdate {
      Objects.requireNonNull(update, "update == null");
    }
  }
}
