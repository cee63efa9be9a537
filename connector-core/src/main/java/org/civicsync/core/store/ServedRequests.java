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

  /**
   * Links of a jurisdiction that have an Open311 id but no served row, by ascending id after
   * {@code afterId} (0 to start), at most {@code limit}: reports received before this table
   * existed (migration V3), for serve mode to backfill. Keyset paging, so a link the caller cannot
   * backfill is passed over rather than read again on every page.
   */
  List<Link> unserved(String jurisdiction, long afterId, int limit);

  /** A served row with its link as it is now. */
  record Served(ServedRequest request, Link link) {}
}
