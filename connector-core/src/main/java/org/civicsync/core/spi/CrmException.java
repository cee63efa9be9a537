package org.civicsync.core.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.civicsync.core.resilience.RetryAdvice;

/**
 * What went wrong in a CRM call, typed by what the engine should do next. Adapters never sleep,
 * retry or remember: they classify the failure and throw; the engine owns every retry, backoff and
 * settlement.
 *
 * <p>The message names the system, the operation and the case id or external reference. It never
 * holds personal data: {@code detail} must be the CRM's error code or status line, not a citizen's
 * name, address or words.
 */
public final class CrmException extends RuntimeException implements RetryAdvice {

  /** What the engine does with the failure. */
  public enum Kind {
    /** Try again later (IO error, 408, 429, 5xx); {@link #retryAfter()} when the CRM said when. */
    TRANSIENT,
    /** Never retry: the request is wrong for this CRM (e.g. a 400, a validation rule). */
    PERMANENT,
    /** Credentials were refused or expired: retrying will not help until a person acts. */
    AUTHENTICATION,
    /** The case does not exist (or is not visible to the connector's user). */
    NOT_FOUND,
    /**
     * The request may have been applied: a timeout or reset after sending. A create is settled
     * with {@link CaseLookup#findByExternalReference}; an update is resent with the same update
     * id, which the adapter must dedupe.
     */
    OUTCOME_UNKNOWN
  }

  private final Kind kind;
  private final String system;
  private final CrmOperation operation;
  private final Optional<String> caseId;
  private final Optional<String> externalReference;
  private final Optional<Duration> retryAfter;

  private CrmException(Builder b) {
    super(message(b), b.cause);
    this.kind = b.kind;
    this.system = b.system;
    this.operation = b.operation;
    this.caseId = Optional.ofNullable(b.caseId);
    this.externalReference = Optional.ofNullable(b.externalReference);
    this.retryAfter = Optional.ofNullable(b.retryAfter);
  }

  /**
   * Starts an exception: {@code throw CrmException.of(TRANSIENT, "salesforce", CREATE_CASE)
   * .externalReference(ref).detail("HTTP 503").retryAfter(d).build();}
   */
  public static Builder of(Kind kind, String system, CrmOperation operation) {
    return new Builder(kind, system, operation);
  }

  public Kind kind() {
    return kind;
  }

  /** The adapter's name, as {@link CrmAdapter#name()} gives it. */
  public String system() {
    return system;
  }

  public CrmOperation operation() {
    return operation;
  }

  public Optional<String> caseId() {
    return caseId;
  }

  public Optional<String> externalReference() {
    return externalReference;
  }

  /** Only for {@link Kind#TRANSIENT}: how long the CRM asked us to wait (a 429's Retry-After). */
  @Override
  public Optional<Duration> retryAfter() {
    return retryAfter;
  }

  /** True only for {@link Kind#TRANSIENT}: the one kind a blind retry is safe and useful for. */
  @Override
  public boolean isRetryable() {
    return kind == Kind.TRANSIENT;
  }

  /** Counts towards opening the CRM's circuit: it is unwell, not the request. */
  @Override
  public boolean isSystemFailure() {
    return kind == Kind.TRANSIENT || kind == Kind.OUTCOME_UNKNOWN;
  }

  private static String message(Builder b) {
    StringBuilder m = new StringBuilder(b.system).append(": ").append(b.operation.words());
    if (b.caseId != null) {
      m.append(" case '").append(b.caseId).append('\'');
    }
    if (b.externalReference != null) {
      m.append(" external reference '").append(b.externalReference).append('\'');
    }
    m.append(" failed (").append(b.kind).append(')');
    if (b.detail != null) {
      m.append(": ").append(b.detail);
    }
    if (b.retryAfter != null) {
      m.append("; retry after ").append(b.retryAfter);
    }
    return m.toString();
  }

  /** Collects the facts of one failure; single use. */
  public static final class Builder {
    private final Kind kind;
    private final String system;
    private final CrmOperation operation;
    private String caseId;
    private String externalReference;
    private String detail;
    private Duration retryAfter;
    private Throwable cause;

    private Builder(Kind kind, String system, CrmOperation operation) {
      this.kind = Objects.requireNonNull(kind, "kind == null");
      this.system = Objects.requireNonNull(system, "system == null");
      this.operation = Objects.requireNonNull(operation, "operation == null");
    }

    public Builder caseId(String value) {
      this.caseId = Objects.requireNonNull(value, "caseId == null");
      return this;
    }

    public Builder externalReference(String value) {
      this.externalReference = Objects.requireNonNull(value, "externalReference == null");
      return this;
    }

    /** The CRM's error code or status line. Never personal data. */
    public Builder detail(String value) {
      this.detail = Objects.requireNonNull(value, "detail == null");
      return this;
    }

    public Builder retryAfter(Duration value) {
      Objects.requireNonNull(value, "retryAfter == null");
      if (kind != Kind.TRANSIENT) {
        throw new IllegalArgumentException("retryAfter only applies to TRANSIENT, not " + kind);
      }
      if (value.isNegative()) {
        throw new IllegalArgumentException("retryAfter must not be negative: " + value);
      }
      this.retryAfter = value;
      return this;
    }

    public Builder cause(Throwable value) {
      this.cause = Objects.requireNonNull(value, "cause == null");
      return this;
    }

    public CrmException build() {
      return new CrmException(this);
    }
  }
}
