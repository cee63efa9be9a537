package org.civicsync.core.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A window of {@link ServedRequests}: {@code start <= requested <= end}, oldest first, at most
 * {@code limit}; only links with a CRM id (the id FixMyStreet is given) and never non-public ones.
 *
 * @param serviceCodes only these codes; empty for all
 * @param hiddenServiceCodes never these codes (private categories)
 * @param statuses only links whose current status (the CRM's, else Open311's, else OPEN) is one of
 *     these {@link org.civicsync.core.model.Status} names; empty for all
 */
public record ServedQuery(String jurisdiction, Instant start, Instant end, Set<String> serviceCodes,
    Set<String> hiddenServiceCodes, Set<String> statuses, int limit) {

  public ServedQuery {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    Objects.requireNonNull(start, "start == null");
    Objects.requireNonNull(end, "end == null");
    serviceCodes = Set.copyOf(serviceCodes);
    hiddenServiceCodes = Set.copyOf(hiddenServiceCodes);
    statuses = Set.copyOf(statuses);
    Columns.checkLimit(limit);
  }
}
