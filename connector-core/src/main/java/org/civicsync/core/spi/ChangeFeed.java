package org.civicsync.core.spi;

import java.time.Instant;

/**
 * What changed in the CRM: cases (created, status changed, closed, reopened) and notes added.
 *
 * <p>The feed is read page by page with a {@link ChangeCursor} the adapter makes and the engine
 * stores. A good cursor is a keyset on (modified time, id), in the manner of
 * {@code WHERE modified > :t OR (modified = :t AND id > :id) ORDER BY modified, id}: several changes
 * with the same modified time never straddle a page boundary badly, because the id breaks the tie.
 * An offset-based cursor loses rows when the result set shifts and must not be used.
 *
 * <p>A CRM's clock and its commit order differ: a change can become visible with a modified time
 * slightly earlier than one already read. The engine therefore re-reads an overlap window with
 * {@link #cursorAt(Instant)} and drops changes it has seen, by case id and version. So a feed may
 * repeat changes; it must not skip them.
 */
public interface ChangeFeed extends CrmCapability {

  /**
   * At most {@code limit} changes after {@code cursor}, oldest first, with the cursor to read the
   * rest from. {@link ChangePage#more()} tells whether to ask again now.
   *
   * @param limit at least 1; the adapter may answer fewer (its API's own page size)
   * @throws CrmException {@code PERMANENT} when the cursor is not one this adapter can read
   */
  ChangePage changesSince(ChangeCursor cursor, int limit);

  /** A cursor from which every change modified at or after {@code time} is listed. */
  ChangeCursor cursorAt(Instant time);

  /** A cursor before every change: the backfill start. */
  default ChangeCursor beginning() {
    return cursorAt(Instant.EPOCH);
  }
}
