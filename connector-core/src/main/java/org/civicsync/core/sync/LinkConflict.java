package org.civicsync.core.sync;

import java.util.Optional;
import java.util.function.Function;
import org.civicsync.core.store.Link;
import org.civicsync.core.store.SyncState;

/**
 * Another node (or step) changed a link between our read and our conditional write. The write
 * is never dropped silently: a lost write leaves a side's status behind for good (the change that
 * carried it has been consumed), so the link would never complete.
 */
final class LinkConflict extends RuntimeException {
  private static final int ATTEMPTS = 5;

  private LinkConflict(Link link) {
    super("link " + link.id() + " was changed by someone else while being updated; will read again");
  }

  /**
   * For a feed reader, whose decision is bound up with the rest of its page: the transaction is
   * rolled back, cursor included, and the next pass reads the page again (its work items and
   * journal entries have stable keys, so nothing is queued twice).
   */
  static void check(boolean written, Link link) {
    if (!written) {
      throw new LinkConflict(link);
    }
  }

  /**
   * For the outbox, whose remote call is already made: re-read the link and decide again within
   * the same transaction (read committed sees the winner's write), rather than fail the item and
   * repeat the call. {@code change} answers the new link, or empty when there is nothing to write.
   */
  static void update(SyncState tx, long linkId, Function<Link, Optional<Link>> change) {
    for (int attempt = 1; ; attempt++) {
      Link current = tx.links().find(linkId).orElseThrow(() ->
          new IllegalStateException("link " + linkId + " vanished while it was being updated"));
      Optional<Link> updated = change.apply(current);
      if (updated.isEmpty() || tx.links().update(updated.get())) {
        return;
      }
      if (attempt == ATTEMPTS) {
        throw new LinkConflict(current);
      }
    }
  }
}
