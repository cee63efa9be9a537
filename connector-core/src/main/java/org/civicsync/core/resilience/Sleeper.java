package org.civicsync.core.resilience;

import java.time.Duration;

/**
 * Waits between attempts. Injected so that tests record the waits instead of sleeping, and so
 * that a scheduler-driven host can substitute its own.
 */
@FunctionalInterface
public interface Sleeper {
  Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
