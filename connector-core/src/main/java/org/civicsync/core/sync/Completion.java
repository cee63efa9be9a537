package org.civicsync.core.sync;

import org.civicsync.core.model.Status;
import org.civicsync.core.store.Link;

/** A link is complete when both sides are closed; only an explicit REOPEN opens it again. */
final class Completion {
  private Completion() {}

  static boolean isComplete(Link link) {
    return link.open311().status().map(Status::isClosed).orElse(false)
        && link.crm().status().map(Status::isClosed).orElse(false);
  }
}
