package org.civicsync.core.spi;

import java.util.Objects;

/**
 * The CRM's answer to a create.
 *
 * @param caseId the CRM's id for the case: what the engine links the report to
 * @param version the case's version after the create
 * @param alreadyExisted true when the CRM answered an existing case for the idempotency key;
 *     false when it created one, or cannot tell
 */
public record CreatedCase(String caseId, long version, boolean alreadyExisted) {
  public CreatedCase {
    Objects.requireNonNull(caseId, "caseId == null");
  }
}
