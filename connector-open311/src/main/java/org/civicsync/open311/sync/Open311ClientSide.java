package org.civicsync.open311.sync;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.sync.Open311Side;
import org.civicsync.open311.Open311ErrorResponseException;
import org.civicsync.open311.client.Open311Client;
import org.civicsync.open311.client.RequestQuery;

/**
 * The engine's view of a GeoReport v2 endpoint, over {@link Open311Client}. Whether the endpoint
 * has mySociety's update extension is configuration: FixMyStreet's public API takes posted updates
 * but serves no updates feed; a council back office may have both or neither.
 */
public final class Open311ClientSide implements Open311Side {
  private final Open311Client client;
  private final boolean readsUpdates;
  private final boolean postsUpdates;

  private Open311ClientSide(Open311Client client, boolean readsUpdates, boolean postsUpdates) {
    this.client = client;
    this.readsUpdates = readsUpdates;
    this.postsUpdates = postsUpdates;
  }

  /**
   * @param readsUpdates the endpoint serves {@code GET servicerequestupdates}
   * @param postsUpdates the endpoint takes {@code POST servicerequestupdates}
   */
  public static Open311ClientSide create(Open311Client client, boolean readsUpdates, boolean postsUpdates) {
    return new Open311ClientSide(Objects.requireNonNull(client, "client == null"), readsUpdates, postsUpdates);
  }

  @Override
  public List<Report> requestsBetween(OffsetDateTime start, OffsetDateTime end) {
    return client.requests(RequestQuery.between(start, end));
  }

  @Override
  public List<Report> requestsById(List<String> ids) {
    return ids.isEmpty() ? List.of() : client.requests(RequestQuery.ids(ids));
  }

  @Override
  public Optional<List<ReportUpdate>> updatesBetween(OffsetDateTime start, OffsetDateTime end) {
    if (!readsUpdates) {
      return Optional.empty();
    }
    try {
      return Optional.of(client.updates(start, end));
    } catch (Open311ErrorResponseException e) {
      // An endpoint without the extension answers 404 for the resource: say so, don't fail.
      if (e.httpStatus() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public boolean acceptsUpdates() {
    return postsUpdates;
  }

  @Override
  public String postUpdate(ReportUpdate update) {
    return client.postUpdate(update);
  }
}
