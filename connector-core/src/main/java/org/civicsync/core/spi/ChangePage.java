package org.civicsync.core.spi;

import java.util.List;
import java.util.Objects;

/**
 * A page of a {@link ChangeFeed}.
 *
 * @param changes oldest first
 * @param next where to read on from; the cursor asked with when nothing changed. The engine stores
 *     it only after it has recorded every change of this page
 * @param more true when the CRM already has more changes after {@code next}
 */
public record ChangePage(List<CrmChange> changes, ChangeCursor next, boolean more) {
  public ChangePage {
    changes = List.copyOf(Objects.requireNonNull(changes, "changes == null"));
    Objects.requireNonNull(next, "next == null");
  }
}
