package org.civicsync.examples.connector;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.civicsync.core.sync.PassResult;
import org.civicsync.core.sync.SyncEngine;

/**
 * Runs each jurisdiction's pass (a poll-mode pass, or serve mode's background work) on its own
 * schedule until stopped. {@link #stop()} lets the pass
 * in progress finish (a pass records each step before the next, and so is safe to cut between
 * passes, never inside one) and then returns from {@link #run()}. Waiting is a {@link Pause}, so a
 * test drives the loop without sleeping.
 */
public final class PollLoop {
  /** Waits up to {@code timeout}; answers true when the loop was stopped meanwhile. */
  @FunctionalInterface
  public interface Pause {
    boolean awaitStop(CountDownLatch stop, Duration timeout) throws InterruptedException;

    Pause REAL = (stop, timeout) -> stop.await(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
  }

  private final Function<String, PassResult> pass;
  private final Map<String, Duration> schedule;
  private final Clock clock;
  private final Pause pause;
  private final Consumer<PassResult> listener;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);

  public PollLoop(SyncEngine engine, Map<String, Duration> schedule, Clock clock, Pause pause,
      Consumer<PassResult> listener) {
    this(Objects.requireNonNull(engine, "engine == null")::runOnce, schedule, clock, pause, listener);
  }

  /** @param pass one pass of the jurisdiction named, for each name in {@code schedule} */
  public PollLoop(Function<String, PassResult> pass, Map<String, Duration> schedule, Clock clock,
      Pause pause, Consumer<PassResult> listener) {
    this.pass = Objects.requireNonNull(pass, "pass == null");
    this.schedule = Map.copyOf(Objects.requireNonNull(schedule, "schedule == null"));
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.pause = Objects.requireNonNull(pause, "pause == null");
    this.listener = Objects.requireNonNull(listener, "listener == null");
    if (this.schedule.isEmpty()) {
      throw new IllegalArgumentException("nothing to schedule");
    }
  }

  /** Runs passes until {@link #stop()}; each jurisdiction at once, then every its interval. */
  public void run() {
    Map<String, Instant> due = new LinkedHashMap<>();
    schedule.keySet().forEach(j -> due.put(j, clock.instant()));
    try {
      while (stop.getCount() > 0) {
        for (Map.Entry<String, Instant> next : due.entrySet()) {
          if (stop.getCount() == 0) {
            break;
          }
          if (!clock.instant().isBefore(next.getValue())) {
            listener.accept(pass.apply(next.getKey()));
            next.setValue(clock.instant().plus(schedule.get(next.getKey())));
          }
        }
        if (stop.getCount() == 0) {
          break;
        }
        Instant earliest = due.values().stream().min(Instant::compareTo).orElseThrow();
        Duration wait = Duration.between(clock.instant(), earliest);
        if (!wait.isNegative() && !wait.isZero() && pause.awaitStop(stop, wait)) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      finished.countDown();
    }
  }

  /** Asks the loop to stop after the pass in progress. */
  public void stop() {
    stop.countDown();
  }

  /** Waits until {@link #run()} has returned, at most {@code timeout}; true if it has. */
  public boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
