package org.civicsync.examples.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import org.civicsync.core.sync.PassProgress;
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


  /**
   * A pass still running (a backfill), as a line: its counts so far and the rate of reports read
   * and of CRM cases created since it started.
   */
  static String progress(PassResult r, Duration elapsed) {
    double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
    return r.jurisdiction() + ": in progress for " + elapsed.toSeconds() + " s: "
        + r.requestsSeen() + " requests read (" + rate(r.requestsSeen(), seconds) + "/s), "
        + r.linksCreated() + " new, " + r.casesCreated() + " CRM cases created ("
        + rate(r.casesCreated(), seconds) + "/s), " + r.crmChangesRead() + " CRM changes read, "
        + r.updatesDelivered() + " updates delivered to Open311, " + r.crmUpdatesApplied()
        + " applied to the CRM, " + r.workFailed() + " failed";
  }

  /** Progress lines to {@code out}, every {@code every}. */
  static PassProgress printer(PrintWriter out, Duration every) {
    return new PassProgress(every, (soFar, elapsed) -> {
      out.println(progress(soFar, elapsed));
      out.flush();
    });
  }

  private static String rate(int count, double seconds) {
    return String.format(Locale.ROOT, "%,.0f", count / seconds);
  }
}
