package org.civicsync.core.resilience;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The guard in front of one remote system (an Open311 endpoint, a CRM): a resilience4j retry, a
 * circuit breaker and an optional rate limiter, configured from a {@link ResiliencePolicy}.
 *
 * <p>Retries are driven here rather than by {@code Retry.decorateSupplier}, because resilience4j's
 * synchronous retry sleeps through a JVM-wide static; this class waits through the injected
 * {@link Sleeper}, so tests observe the waits without sleeping. A failure is retried only when
 * it says so through {@link RetryAdvice}; {@link #callOnce} never retries, for calls that are not
 * idempotent (a POST that creates a case).
 */
public final class RemoteSystem {
  private final String name;
  private final Retry retry;
  private final CircuitBreaker circuitBreaker;
  private final Optional<RateLimiter> rateLimiter;
  private final Sleeper sleeper;

  private RemoteSystem(String name, ResiliencePolicy policy, Sleeper sleeper) {
    this.name = name;
    this.sleeper = sleeper;
    IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(
        policy.initialBackoff(), policy.backoffMultiplier(), policy.jitter(), policy.maxBackoff());
    long maxRetryAfterMillis = policy.maxRetryAfter().toMillis();
    RetryConfig retryConfig = RetryConfig.custom()
        .maxAttempts(policy.maxAttempts())
        .retryOnException(e -> e instanceof RetryAdvice advice && advice.isRetryable()
            && advice.retryAfter().map(d -> d.toMillis() <= maxRetryAfterMillis).orElse(true))
        .intervalBiFunction((attempt, outcome) -> {
          if (outcome != null && outcome.isLeft() && outcome.getLeft() instanceof RetryAdvice advice
              && advice.retryAfter().isPresent()) {
            return advice.retryAfter().get().toMillis();
          }
          return backoff.apply(attempt);
        })
        .build();
    this.retry = Retry.of(name, retryConfig);
    CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.custom()
        .failureRateThreshold(policy.failureRateThreshold())
        .minimumNumberOfCalls(policy.minimumCalls())
        .slidingWindowSize(policy.slidingWindowSize())
        .waitDurationInOpenState(policy.openStateWait())
        .recordException(e -> e instanceof RetryAdvice advice ? advice.isSystemFailure() : true)
        .build();
    this.circuitBreaker = CircuitBreaker.of(name, breakerConfig);
    this.rateLimiter = policy.callsPerSecond().map(perSecond -> RateLimiter.of(name,
        RateLimiterConfig.custom()
            .limitForPeriod(perSecond)
            .limitRefreshPeriod(Duration.ofSeconds(1))
            .timeoutDuration(Duration.ofSeconds(30))
            .build()));
  }

  public static RemoteSystem create(String name, ResiliencePolicy policy, Sleeper sleeper) {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(policy, "policy == null");
    Objects.requireNonNull(sleeper, "sleeper == null");
    return new RemoteSystem(name, policy, sleeper);
  }

  public String name() {
    return name;
  }

  /** The retry, for its events and metrics. */
  public Retry retry() {
    return retry;
  }

  public CircuitBreaker circuitBreaker() {
    return circuitBreaker;
  }

  /** Calls an idempotent operation, retrying what {@link RetryAdvice} says may succeed later. */
  public <T> T call(Supplier<T> operation) {
    Objects.requireNonNull(operation, "operation == null");
    Retry.AsyncContext<T> context = retry.asyncContext();
    while (true) {
      try {
        T result = guarded(operation);
        context.onComplete();
        return result;
      } catch (RuntimeException e) {
        long delay = context.onError(e);
        if (delay < 0) {
          throw e;
        }
        pause(Duration.ofMillis(delay), e);
      }
    }
  }

  /** Calls an operation once: behind the circuit breaker and rate limiter, never retried. */
  public <T> T callOnce(Supplier<T> operation) {
    Objects.requireNonNull(operation, "operation == null");
    return guarded(operation);
  }

  private <T> T guarded(Supplier<T> operation) {
    rateLimiter.ifPresent(limiter -> RateLimiter.waitForPermission(limiter));
    try {
      return circuitBreaker.executeSupplier(operation);
    } catch (CallNotPermittedException e) {
      throw new RemoteSystemUnavailableException(name, circuitBreaker.getState().name());
    }
  }

  private void pause(Duration delay, RuntimeException cause) {
    try {
      sleeper.sleep(delay);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      cause.addSuppressed(interrupted);
      throw cause;
    }
  }
}
