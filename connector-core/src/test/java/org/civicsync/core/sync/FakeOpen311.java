package org.civicsync.core.sync;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.civicsync.core.model.Location;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.model.Status;

/**
 * An Open311 endpoint with the update extension, in memory, behaving as FixMyStreet does for what
 * the engine relies on: requests filtered by requested time, posted updates deduped on update_id
 * and applied to the request's status, a feed of citizens' updates.
 */
public final class FakeOpen311 implements Open311Side {
  private final Clock clock;
  private final Map<String, Report> requests = new LinkedHashMap<>();
  private final List<ReportUpdate> citizenUpdates = new ArrayList<>();
  private final Map<String, ReportUpdate> received = new LinkedHashMap<>();
  private final Map<String, AtomicInteger> posts = new LinkedHashMap<>();
  private int next = 1000;
  private boolean echoPostedUpdates;

  public FakeOpen311(Clock clock) {
    this.clock = clock;
  }

  /** Makes posted updates appear in the updates feed too, as some endpoints do. */
  public synchronized FakeOpen311 echoPostedUpdates() {
    this.echoPostedUpdates = true;
    return this;
  }

  public synchronized String report(String serviceCode, String fixMyStreetId) {
    String id = Integer.toString(next++);
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    requests.put(id, Report.builder().id(id).serviceCode(serviceCode).status(Status.OPEN)
        .description("report " + id).location(Location.at("51.45", "-2.59"))
        .attribute("fixmystreet_id", fixMyStreetId).requested(now).updated(now).build());
    return id;
  }

  public synchronized void citizenUpdate(String requestId, String updateId, Status status, String text) {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    citizenUpdates.add(ReportUpdate.builder().updateId(updateId).serviceRequestId(requestId)
        .status(status).description(text).updated(now).build());
    if (status.changesState()) {
      setStatus(requestId, status, now);
    }
  }

  public synchronized void lateCitizenUpdate(String requestId, String updateId, Status status, OffsetDateTime at) {
    citizenUpdates.add(ReportUpdate.builder().updateId(updateId).serviceRequestId(requestId)
        .status(status).description("late").updated(at).build());
  }

  private void setStatus(String id, Status status, OffsetDateTime at) {
    Report r = requests.get(id);
    requests.put(id, r.toBuilder().status(status).updated(at).build());
  }

  public synchronized Report request(String id) {
    return requests.get(id);
  }

  public synchronized Map<String, ReportUpdate> received() {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(received));
  }

  public synchronized int posts(String updateId) {
    return posts.getOrDefault(updateId, new AtomicInteger()).get();
  }

  @Override
  public synchronized List<Report> requestsBetween(OffsetDateTime start, OffsetDateTime end) {
    return requests.values().stream().filter(r -> r.requested().isPresent()
        && !r.requested().get().isBefore(start) && !r.requested().get().isAfter(end)).toList();
  }

  @Override
  public synchronized List<Report> requestsById(List<String> ids) {
    return ids.stream().map(requests::get).filter(java.util.Objects::nonNull).toList();
  }

  @Override
  public synchronized Optional<List<ReportUpdate>> updatesBetween(OffsetDateTime start, OffsetDateTime end) {
    return Optional.of(citizenUpdates.stream().filter(u -> u.updated().isPresent()
        && !u.updated().get().isBefore(start) && !u.updated().get().isAfter(end)).toList());
  }

  @Override
  public boolean acceptsUpdates() {
    return true;
  }

  @Override
  public synchronized String postUpdate(ReportUpdate update) {
    String updateId = update.updateId().orElseThrow();
    posts.computeIfAbsent(updateId, k -> new AtomicInteger()).incrementAndGet();
    boolean first = received.putIfAbsent(updateId, update) == null;
    if (first && echoPostedUpdates) {
      citizenUpdates.add(update);
    }
    if (first && update.status().isPresent() && update.status().get().changesState()) {
      setStatus(update.serviceRequestId().orElseThrow(), update.status().get(),
          update.updated().orElseThrow());
    }
    return "fms-" + updateId;
  }
}
