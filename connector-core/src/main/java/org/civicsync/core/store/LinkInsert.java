package org.civicsync.core.store;

import java.util.Objects;

/**
 * The outcome of an insert-if-absent: the stored link, and whether this call created it. A caller
 * that did not create it must not repeat the side effects of creation (e.g. enqueue a CRM create).
 */
public record LinkInsert(Link link, boolean inserted) {

  public LinkInsert {
    Objects.requireNonNull(link, "link == null");
  }
}
