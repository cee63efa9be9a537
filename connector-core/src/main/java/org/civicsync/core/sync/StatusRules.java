package org.civicsync.core.sync;

import java.util.Optional;
import org.civicsync.core.model.Status;

/**
 * The rules that keep a status from moving backwards. Versions order changes from one side; these
 * rules stop a late or repeated change from reopening what is closed: only an explicit
 * {@link Status#REOPEN} does that.
 */
final class StatusRules {
  private StatusRules() {}

  /** Whether {@code incoming} may replace {@code current} as a side's status. */
  static boolean moves(Optional<Status> current, Status incoming) {
    if (!incoming.changesState()) {
      return false;
    }
    if (current.isEmpty()) {
      return true;
    }
    if (current.get() == incoming) {
      return false;
    }
    return !current.get().isClosed() || incoming.isClosed() || incoming == Status.REOPEN;
  }

  /** Versions compare as numbers when both are, else as text (ISO instants sort as text). */
  static boolean newer(String incoming, Optional<String> stored) {
    if (stored.isEmpty()) {
      return true;
    }
    String s = stored.get();
    try {
      return Long.parseLong(incoming) > Long.parseLong(s);
    } catch (NumberFormatException notNumbers) {
      return incoming.compareTo(s) > 0;
    }
  }
}
