package org.civicsync.core.spi;

/** Creates CRM cases from citizen reports. */
public interface CaseCreation extends CrmCapability {

  /**
   * Creates a case, or answers the existing one when the CRM already has a case for
   * {@link NewCase#idempotencyKey()} (an upsert on an external id field).
   *
   * <p>When the CRM has no such key, the adapter just creates: the engine guards against
   * duplicates by settling every {@link CrmException.Kind#OUTCOME_UNKNOWN} create with
   * {@link CaseLookup#findByExternalReference} before trying again.
   *
   * @throws CrmException {@code OUTCOME_UNKNOWN} when the request was sent and no answer came back
   */
  CreatedCase create(NewCase newCase);
}
