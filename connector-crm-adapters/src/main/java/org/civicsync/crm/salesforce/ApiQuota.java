package org.civicsync.crm.salesforce;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The org's daily API request allowance as the last {@code Sforce-Limit-Info: api-usage=N/M}
 * header reported it. An org's allowance is shared by every integration and by the council's own
 * users' tools; when it runs out, all of them get {@code 403 REQUEST_LIMIT_EXCEEDED} for the rest
 * of the rolling 24 hours. So above the configured ceiling the adapter refuses to call for a
 * while ({@link #pausedFor()}), and the engine backs off as for any transient failure. After the
 * pause one call goes through and its header says whether the usage has dropped.
 */
final class ApiQuota {
  private static final Pattern USAGE = Pattern.compile("api-usage=(\\d+)/(\\d+)");

  private final double ceiling;
  private final Duration pause;
  private final Clock clock;
  private long used; // guarded by this
  private long allowed; // guarded by this
  private Instant pausedUntil = Instant.MIN; // guarded by this

  ApiQuota(double ceiling, Duration pause, Clock clock) {
    this.ceiling = ceiling;
    this.pause = pause;
    this.clock = clock;
  }

  /** Records what a response said; a header without api-usage changes nothing. */
  synchronized void observe(String limitInfo) {
    if (limitInfo == null) {
      return;
    }
    Matcher m = USAGE.matcher(limitInfo);
    if (!m.find()) {
      return;
    }
    used = Long.parseLong(m.group(1));
    allowed = Long.parseLong(m.group(2));
    if (allowed > 0 && used >= ceiling * allowed) {
      pausedUntil = clock.instant().plus(pause);
    } else {
      pausedUntil = Instant.MIN;
    }
  }

  /** How long until calls may go out again, or empty when they may go now. */
  synchronized Optional<Duration> pausedFor() {
    Instant now = clock.instant();
    return now.isBefore(pausedUntil) ? Optional.of(Duration.between(now, pausedUntil))
        : Optional.empty();
  }

  synchronized String usage() {
    return "api-usage=" + used + "/" + allowed;
  }

  Duration pause() {
    return pause;
  }
}
