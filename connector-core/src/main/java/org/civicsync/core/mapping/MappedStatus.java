package org.civicsync.core.mapping;

import java.util.Objects;
import java.util.Optional;
import org.civicsync.core.model.Status;

/**
 * What a CRM status code means on the Open311 side.
 *
 * @param status the canonical status to send; empty when the mapping says {@code IGNORE}: the
 *     change is not sent at all
 * @param externalStatusCode the CRM's raw code, always kept, to send as
 *     {@code external_status_code} so FixMyStreet can act on codes our vocabulary flattens
 * @param defaulted true when the code was not in the mapping and the jurisdiction's default for
 *     unknown codes was used (and a warning logged)
 */
public record MappedStatus(Optional<Status> status, String externalStatusCode, boolean defaulted) {
  public MappedStatus {
    Objects.requireNonNull(status, "status == null");
    Objects.requireNonNull(externalStatusCode, "externalStatusCode == null");
  }

  /** True when the change is not to be sent. */
  public boolean ignored() {
    return status.isEmpty();
  }
}
