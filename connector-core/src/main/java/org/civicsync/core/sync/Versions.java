package org.civicsync.core.sync;

import java.time.OffsetDateTime;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.ReportUpdate;

/**
 * Versions of Open311 state: the epoch milliseconds of {@code updated_datetime}, as text, so that
 * they compare as numbers. A request without one has version 0: any dated change is newer.
 */
final class Versions {
  private Versions() {}

  static String of(Report report) {
    return report.updated().or(report::requested).map(Versions::of).orElse("0");
  }

  static String of(ReportUpdate update) {
    return update.updated().map(Versions::of).orElse("0");
  }

  static String of(OffsetDateTime time) {
    return Long.toString(time.toInstant().toEpochMilli());
  }
}
