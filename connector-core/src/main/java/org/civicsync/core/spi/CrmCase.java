package org.civicsync.core.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A case's state as the CRM reports it, in the CRM's own vocabulary: the mapping turns
 * {@code statusCode} into a canonical status.
 *
 * @param version grows with every change to the case (a revision counter, a row version; for a
 *     CRM with neither, the modification time in epoch milliseconds). The engine compares
 *     versions of one case to drop changes it has already seen and late ones.
 * @param modified when the CRM last changed the case, as an instant: an adapter over a CRM that
 *     stores local times converts with the jurisdiction's CRM time zone
 * @param closed the CRM's own notion of closed (a closed state category, an {@code IsClosed}
 *     flag), which may be true for several status codes
 */
public record CrmCase(
    String caseId,
    String caseType,
    Optional<String> externalReference,
    String statusCode,
    boolean closed,
    long version,
    Instant modified) {

  public CrmCase {
    Objects.requireNonNull(caseId, "caseId == null");
    Objects.requireNonNull(caseType, "caseType == null");
    Objects.requireNonNull(externalReference, "externalReference == null");
    Objects.requireNonNull(statusCode, "statusCode == null");
    Objects.requireNonNull(modified, "modified == null");
  }
}
