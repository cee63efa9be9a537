package org.civicsync.core.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@code link} table: which CRM case belongs to which Open311 request.
 *
 * <p>(jurisdiction, open311 id) and (jurisdiction, crm id) are unique, so the same report can never
 * get two links, even when two nodes see it at the same moment.
 */
public interface Links {

  /**
   * Stores the link unless one with the same (jurisdiction, open311 id) exists; either way returns
   * the stored one. Safe under concurrency: racing callers all get the same link.
   *
   * @throws IllegalArgumentException if the new link has no open311 id
   * @throws SyncStoreException if the link collides on its CRM id with a different link
   */
  LinkInsert insertIfAbsentByOpen311Id(NewLink link);

  /** As {@link #insertIfAbsentByOpen311Id}, keyed on (jurisdiction, crm id). */
  LinkInsert insertIfAbsentByCrmId(NewLink link);

  Optional<Link> find(long id);

  Optional<Link> findByOpen311Id(String jurisdiction, String open311Id);

  Optional<Link> findByCrmId(String jurisdiction, String crmId);

  /** The fixmystreet_id is not unique (FixMyStreet may resend): the oldest link wins. */
  Optional<Link> findByFixMyStreetId(String jurisdiction, String fixMyStreetId);

  /**
   * Writes the link if the stored revision equals {@code link.revision()}, then bumps the revision
   * and the updated time. False when someone else updated it first: re-read and decide again.
   */
  boolean update(Link link);

  /**
   * Links not yet complete in a jurisdiction, by ascending id, after {@code afterId} (use 0 to
   * start). Keyset paging: stable while links are added or completed between pages.
   */
  List<Link> openLinks(String jurisdiction, long afterId, int limit);

  /**
   * Hands every Open311 id of a jurisdiction's links to {@code each}, streamed in one read (serve
   * mode builds its filter of known report keys from it at start).
   *
   * @return how many there were
   */
  long forEachOpen311Id(String jurisdiction, Consumer<String> each);

  /** Open and complete links of a jurisdiction, for status reports and metrics. */
  LinkCounts counts(String jurisdiction);
}
