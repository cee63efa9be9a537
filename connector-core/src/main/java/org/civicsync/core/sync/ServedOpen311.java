package org.civicsync.core.sync;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.ReportUpdate;

/**
 * The Open311 side of a jurisdiction in serve mode: the connector <em>is</em> the endpoint, so
 * there is nothing to poll and nowhere to post. FixMyStreet sends reports and updates in, and
 * fetches CRM changes from the journal ({@link ServeMode}).
 */
public final class ServedOpen311 implements Open311Side {
  public static final ServedOpen311 INSTANCE = new ServedOpen311();

  private ServedOpen311() {}

  @Override
  public List<Report> requestsBetween(OffsetDateTime start, OffsetDateTime end) {
    return List.of();
  }

  @Override
  public List<Report> requestsById(List<String> ids) {
    return List.of();
  }

  @Override
  public Optional<List<ReportUpdate>> updatesBetween(OffsetDateTime start, OffsetDateTime end) {
    return Optional.empty();
  }

  /** False: FixMyStreet fetches the journal, nothing is pushed to it. */
  @Override
  public boolean acceptsUpdates() {
    return false;
  }

  @Override
  public String postUpdate(ReportUpdate update) {
    throw new UnsupportedOperationException("serve mode delivers no updates: they are fetched");
  }
}
