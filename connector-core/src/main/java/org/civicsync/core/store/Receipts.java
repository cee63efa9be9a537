package org.civicsync.core.store;

import java.util.List;
import java.util.Optional;

/**
 * The {@code receipt} table: serve mode's cheap durable intake. Writing a receipt touches two
 * B-trees (row and key) where a link with its "create the case" item touches nine, so a received
 * report can be made durable before it is answered at a fraction of the commit cost; a drainer
 * later turns receipts into links and work in large batches and deletes them in the same
 * transaction. Keys are unique per jurisdiction.
 */
public interface Receipts {

  /**
   * Inserts unless (jurisdiction, key) is already there.
   *
   * @return true if this call inserted the receipt
   */
  boolean insertIfAbsent(String jurisdiction, String key, String version,
      Optional<String> fixMyStreetId, String payload);

  Optional<Receipt> find(String jurisdiction, String key);

  /** The oldest receipts of a jurisdiction (by id), at most {@code limit}. */
  List<Receipt> oldest(String jurisdiction, int limit);

  /** @return false if there was no such receipt (drained already) */
  boolean delete(long id);
}
