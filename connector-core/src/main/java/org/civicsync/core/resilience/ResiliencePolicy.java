package org.civicsync.core.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How calls to one remote system are protected: retries with exponential backoff and jitter, a
 * circuit breaker, an optional rate limit. An immutable value; {@link #ofDefaults()} suits a
 * council back office, {@link #builder()} rejects a bad value at once, naming it.
 */
public final class ResiliencePolicy {
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final double backoffMultiplier;
  private final Duration maxBackoff;
  private final double jitter;
  private final Duration maxRetryAfter;
  private final float failureRateThreshold;
  private final int minimumCalls;
  private final int slidingWindowSize;
  private final Duration openStateWait;
  private final Optional<Integer> callsPerSecond;

  private ResiliencePolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.backoffMultiplier = b.backoffMultiplier;
    this.maxBackoff = b.maxBackoff;
    this.jitter = b.jitter;
    this.maxRetryAfter = b.maxRetryAfter;
    this.failureRateThreshold = b.failureRateThreshold;
    this.minimumCalls = b.minimumCalls;
    this.slidingWindowSize = b.slidingWindowSize;
    this.openStateWait = b.openStateWait;
    this.callsPerSecond = b.callsPerSecond;
  }

  public static ResiliencePolicy ofDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public int maxAttempts() { return maxAttempts; }
  public Duration initialBackoff() { return initialBackoff; }
  public double backoffMultiplier() { return backoffMultiplier; }
  public Duration maxBackoff() { return maxBackoff; }
  public double jitter() { return jitter; }
  public Duration maxRetryAfter() { return maxRetryAfter; }
  public float failureRateThreshold() { return failureRateThreshold; }
  public int minimumCalls() { return minimumCalls; }
  public int slidingWindowSize() { return slidingWindowSize; }
  public Duration openStateWait() { return openStateWait; }
  public Optional<Integer> callsPerSecond() { return callsPerSecond; }

  @Override
  public String toString() {
    return "ResiliencePolicy[maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff
        + ", multiplier=" + backoffMultiplier + ", maxBackoff=" + maxBackoff + ", jitter=" + jitter
        + ", failureRate=" + failureRateThreshold + "%, window=" + slidingWindowSize
        + ", openWait=" + openStateWait + ", callsPerSecond=" + callsPerSecond.orElse(null) + "]";
  }

  public static final class Builder {
    private int maxAttempts = 4;
    private Duration initialBackoff = Duration.ofMillis(500);
    private double backoffMultiplier = 2.0;
    private Duration maxBackoff = Duration.ofSeconds(30);
    private double jitter = 0.5;
    private Duration maxRetryAfter = Duration.ofMinutes(5);
    private float failureRateThreshold = 50f;
    private int minimumCalls = 10;
    private int slidingWindowSize = 20;
    private Duration openStateWait = Duration.ofSeconds(30);
    private Optional<Integer> callsPerSecond = Optional.empty();

    private Builder() {}

    public Builder maxAttempts(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxAttempts must be greater than or equal to 1, was " + value);
      }
      this.maxAttempts = value;
      return this;
    }

    public Builder initialBackoff(Duration value) {
      this.initialBackoff = positive(value, "initialBackoff");
      return this;
    }

    public Builder backoffMultiplier(double value) {
      if (!(value >= 1.0)) {
        throw new IllegalArgumentException("backoffMultiplier must be at least 1.0, was " + value);
      }
      this.backoffMultiplier = value;
      return this;
    }

    public Builder maxBackoff(Duration value) {
      this.maxBackoff = positive(value, "maxBackoff");
      return this;
    }

    public Builder jitter(double value) {
      if (!(value >= 0.0 && value < 1.0)) {
        throw new IllegalArgumentException("jitter must be in [0, 1), was " + value);
      }
      this.jitter = value;
      return this;
    }

    /** The longest {@code Retry-After} honoured; a longer one fails the call instead of waiting. */
    public Builder maxRetryAfter(Duration value) {
      this.maxRetryAfter = positive(value, "maxRetryAfter");
      return this;
    }

    public Builder failureRateThreshold(float percent) {
      if (!(percent > 0 && percent <= 100)) {
        throw new IllegalArgumentException("failureRateThreshold must be in (0, 100], was " + percent);
      }
      this.failureRateThreshold = percent;
      return this;
    }

    public Builder minimumCalls(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("minimumCalls must be greater than or equal to 1, was " + value);
      }
      this.minimumCalls = value;
      return this;
    }

    public Builder slidingWindowSize(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("slidingWindowSize must be greater than or equal to 1, was " + value);
      }
      this.slidingWindowSize = value;
      return this;
    }

    public Builder openStateWait(Duration value) {
      this.openStateWait = positive(value, "openStateWait");
      return this;
    }

    /** A client-side quota, e.g. a CRM's API limit; absent means unlimited. */
    public Builder callsPerSecond(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("callsPerSecond must be greater than or equal to 1, was " + value);
      }
      this.callsPerSecond = Optional.of(value);
      return this;
    }

    public ResiliencePolicy build() {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("maxBackoff (" + maxBackoff
            + ") must not be shorter than initialBackoff (" + initialBackoff + ")");
      }
      if (minimumCalls > slidingWindowSize) {
        throw new IllegalArgumentException("minimumCalls (" + minimumCalls
            + ") must not exceed slidingWindowSize (" + slidingWindowSize + ")");
      }
      return new ResiliencePolicy(this);
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name + " == null");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }
  }
}
