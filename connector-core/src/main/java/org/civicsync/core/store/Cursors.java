package org.civicsync.core.store;

import java.util.Optional;

/**
 * The {@code sync_cursor} table: where each source's change feed was read up to. Write it in the
 * same transaction as what was read, so a crash never skips changes.
 */
public interface Cursors {

  Optional<StoredCursor> get(String source);

  /** Creates or replaces the cursor, stamping the store's clock. */
  void put(String source, String value);
}
