package org.civicsync.crm.feed;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.civicsync.core.spi.ChangeCursor;
import org.civicsync.core.spi.ChangePage;
import org.civicsync.core.spi.CrmCase;
import org.civicsync.core.spi.CrmChange;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmOperation;

/**
 * Turns the rows of one keyset query into a {@link ChangePage}, with the argument checks around
 * it. Exists because the ServiceNow, Salesforce and JDBC adapters each repeated this code in
 * {@code changesSince}.
 */
public final class ChangePages {
  private ChangePages() {}

  /**
   * The page size for a requested {@code limit}: at most {@code max}.
   *
   * @throws IllegalArgumentException if {@code limit} is below 1
   */
  public static int size(int limit, int max) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    return Math.min(limit, max);
  }

  /** The {@code PERMANENT} failure of adapter {@code system} for a cursor it did not make. */
  public static CrmException foreignCursor(String system, ChangeCursor cursor) {
    return CrmException.of(CrmException.Kind.PERMANENT, system, CrmOperation.LIST_CHANGES)
        .detail("not a cursor of this adapter: '" + cursor + "'").build();
  }

  /**
   * The page of at most {@code size} changes from {@code rows}, which were fetched with a limit
   * of {@code size + 1}: one row more than {@code size} means there is more. Only the rows kept
   * are read with {@code toCase}. The next cursor is the position of the last change kept, or
   * {@code cursor} itself when there is none.
   */
  public static <R> ChangePage of(List<R> rows, int size, Function<? super R, CrmCase> toCase,
      ChangeCursor cursor, KeysetPosition.Format format) {
    List<CrmChange> changes = new ArrayList<>();
    KeysetPosition last = null;
    for (R row : rows.subList(0, Math.min(size, rows.size()))) {
      CrmCase state = toCase.apply(row);
      changes.add(new CrmChange(state.modified(), state, Optional.empty(), Optional.empty()));
      last = new KeysetPosition(state.modified(), state.caseId());
    }
    return new ChangePage(changes, changes.isEmpty() ? cursor : format.toCursor(last),
        rows.size() > size);
  }
}
