package org.civicsync.examples.cli;

import org.civicsync.core.sync.PassResult;

/** One pass, as a line an operator reads: counts only, never ids or personal data. */
final class PassLine {
  private PassLine() {}

  static String of(PassResult r) {
    return r.jurisdiction() + ": " + r.requestsSeen() + " requests read, " + r.linksCreated()
        + " new, " + r.casesCreated() + " CRM cases created, " + r.crmChangesRead()
        + " CRM changes read, " + r.updatesDelivered() + " updates delivered to Open311, "
        + r.crmUpdatesApplied() + " applied to the CRM, " + r.workFailed() + " failed";
  }
}
