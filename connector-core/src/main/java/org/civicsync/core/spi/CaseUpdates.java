package org.civicsync.core.spi;

/** Applies updates from Open311 (citizen comments, "fixed", status changes) to CRM cases. */
public interface CaseUpdates extends CrmCapability {

  /**
   * Applies {@code update} once. Applying an update whose {@link CaseUpdate#updateId()} this case
   * has already had is not an error and changes nothing: the engine resends with the same id
   * after an {@code OUTCOME_UNKNOWN}. A CRM without a field for the id may record it in the note
   * (e.g. a trailing {@code [civicsync:<updateId>]}) and look for it before writing.
   *
   * @throws CrmException {@code NOT_FOUND} when the case does not exist
   */
  AppliedUpdate apply(CaseUpdate update);
}
