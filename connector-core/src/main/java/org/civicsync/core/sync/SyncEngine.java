package org.civicsync.core.sync;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.civicsync.core.model.Redaction;
import org.civicsync.core.store.SyncStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Poll mode: keeps each jurisdiction's Open311 endpoint and CRM in step, one pass at a time.
 *
 * <p>A pass: new Open311 requests become links and create-case work; the outbox is worked (cases
 * created, updates applied and delivered); CRM changes are read into updates for Open311;
 * Open311 changes are read into updates for the CRM; the outbox is worked again. Every step
 * records its progress in the {@link SyncStore} before the next, so a pass interrupted anywhere
 * is finished by the next one, on this node or another, without losing or repeating anything.
 * Adapters never retry; the engine does, through the outbox's attempts and backoff.
 */
public final class SyncEngine {
  private static final Logger log = LoggerFactory.getLogger(SyncEngine.class);

  private final SyncStore store;
  private final Clock clock;
  private final String owner;
  private final java.time.Duration leaseTtl;
  private final Map<String, Jurisdiction> jurisdictions;
  private final RequestIntake intake;
  private final OutboxWorker worker;
  private final CrmChangeReader crmChanges;
  private final Open311ChangeReader open311Changes;
  private final PassProgress progress;

  private SyncEngine(Builder b) {
    this.store = b.store;
    this.clock = b.clock;
    this.owner = b.owner;
    this.leaseTtl = b.leaseTtl;
    this.jurisdictions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.jurisdictions));
    this.intake = new RequestIntake(store, clock);
    this.worker = new OutboxWorker(store, clock, b.owner);
    this.crmChanges = new CrmChangeReader(store);
    this.open311Changes = new Open311ChangeReader(store, clock);
    this.progress = b.progress;
  }

  public static Builder builder(SyncStore store) {
    return new Builder(store);
  }

  public Map<String, Jurisdiction> jurisdictions() {
    return jurisdictions;
  }

  /** One pass over every jurisdiction. A failure in one is logged and does not stop the others. */
  public List<PassResult> runOnce() {
    List<PassResult> results = new ArrayList<>();
    for (Jurisdiction j : jurisdictions.values()) {
      results.add(runOnce(j.id()));
    }
    return results;
  }

  /** One pass over one jurisdiction; a step that fails leaves the rest for the next pass. */
  public PassResult runOnce(String jurisdictionId) {
    Jurisdiction j = Objects.requireNonNull(jurisdictions.get(jurisdictionId),
        () -> "unknown jurisdiction " + jurisdictionId);
    PassResult.Counter count = new PassResult.Counter(j.id(), progress, clock);
    // Reading the feeds is one node's job at a time (cursors are shared); the outbox is everyone's.
    String lease = "poll:" + j.id();
    boolean polling = store.leases().tryAcquire(lease, owner, clock.instant(), leaseTtl);
    boolean read = polling && step(j, "read new Open311 requests", () -> intake.run(j, count));
    step(j, "work the outbox", () -> worker.run(j, count));
    if (polling) {
      read &= step(j, "read CRM changes", () -> crmChanges.run(j, count));
      read &= step(j, "read Open311 changes", () -> open311Changes.run(j, count));
    }
    if (read) {
      // A quiet endpoint moves no feed cursor; this says the feeds were read, new or not.
      step(j, "record the poll", () -> store.cursors().put(polledCursor(j.id()),
          clock.instant().toString()));
    }
    step(j, "work the outbox", () -> worker.run(j, count));
    PassResult result = count.result();
    log.info("jurisdiction {}: pass done {}", j.id(), result);
    return result;
  }

  /**
   * The store cursor whose time ({@code StoredCursor.updated}) is when every feed of
   * {@code jurisdiction} was last read without failing, on any node: how lag and staleness are
   * measured, since a feed's own cursor moves only when there is something new.
   */
  public static String polledCursor(String jurisdiction) {
    return "polled:" + jurisdiction;
  }

  /** Runs one step; false (logged) when it failed. */
  private static boolean step(Jurisdiction j, String what, Runnable step) {
    try {
      step.run();
      return true;
    } catch (RuntimeException e) {
      log.warn("jurisdiction {}: could not {}: {}", j.id(), what, Redaction.toString(e));
      return false;
    }
  }

  public static final class Builder {
    private final SyncStore store;
    private Clock clock = Clock.systemUTC();
    private String owner = "node-" + UUID.randomUUID();
    private java.time.Duration leaseTtl = java.time.Duration.ofMinutes(2);
    private final Map<String, Jurisdiction> jurisdictions = new LinkedHashMap<>();
    private PassProgress progress = PassProgress.NONE;

    private Builder(SyncStore store) {
      this.store = Objects.requireNonNull(store, "store == null");
    }

    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock == null");
      return this;
    }

    /** This node's name in claims and leases; unique per running engine. */
    public Builder owner(String value) {
      this.owner = Objects.requireNonNull(value, "owner == null");
      return this;
    }

    /** How long this node keeps polling a jurisdiction's feeds without renewing (each pass renews). */
    public Builder leaseTtl(java.time.Duration value) {
      Objects.requireNonNull(value, "leaseTtl == null");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("leaseTtl must be positive, was " + value);
      }
      this.leaseTtl = value;
      return this;
    }

    /** Who hears how a long pass (a backfill) is getting on; by default nobody. */
    public Builder progress(PassProgress value) {
      this.progress = Objects.requireNonNull(value, "progress == null");
      return this;
    }

    public Builder jurisdiction(Jurisdiction value) {
      Objects.requireNonNull(value, "jurisdiction == null");
      if (jurisdictions.putIfAbsent(value.id(), value) != null) {
        throw new IllegalArgumentException("jurisdiction " + value.id() + " registered twice");
      }
      return this;
    }

    public SyncEngine build() {
      if (jurisdictions.isEmpty()) {
        throw new IllegalStateException("an engine needs at least one jurisdiction");
      }
      return new SyncEngine(this);
    }
  }
}
