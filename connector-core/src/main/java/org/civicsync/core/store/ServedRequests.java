package org.civicsync.core.store;

import java.util.List;
import java.util.Optional;

/**
 * The {@code served_request} table: what serve mode lists on {@code GET requests} by
 * requested_datetime, with the link that gives each one's current status and CRM id.
 */
public interface ServedRequests {

  /** Stores the row unless the link has one. True when this call stored it. */
  boolean record(ServedRequest request);

  Optional<ServedRequest> find(long linkId);

  /** The rows in the query's window, each with its link, by (requested, link id). */
  List<Served> window(ServedQuery query);

  /** A served row with its link as it is now. */
  record Served(ServedRequest request, Link link) {}
}
