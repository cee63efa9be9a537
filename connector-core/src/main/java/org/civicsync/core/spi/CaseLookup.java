package org.civicsync.core.spi;

import java.util.Optional;

/** Finds cases by the id the other side gave them: how an ambiguous create is settled. */
public interface CaseLookup extends CrmCapability {

  /**
   * The case whose external reference is {@code externalReference}, or empty when there is none.
   * When the CRM holds several (duplicates made outside the connector), the oldest.
   *
   * <p>Must see a case created a moment ago: an adapter over a search index that lags behind
   * writes should query the record store instead.
   */
  Optional<CrmCase> findByExternalReference(String externalReference);
}
