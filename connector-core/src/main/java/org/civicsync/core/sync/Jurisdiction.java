package org.civicsync.core.sync;

import java.util.Objects;
import org.civicsync.core.mapping.JurisdictionMapping;
import org.civicsync.core.resilience.RemoteSystem;
import org.civicsync.core.resilience.ResiliencePolicy;
import org.civicsync.core.resilience.Sleeper;
import org.civicsync.core.spi.CaseCreation;
import org.civicsync.core.spi.CaseLookup;
import org.civicsync.core.spi.CaseUpdates;
import org.civicsync.core.spi.ChangeFeed;
import org.civicsync.core.spi.CrmAdapter;

/**
 * One council's pairing: its Open311 side, its CRM, its mapping and settings. The CRM must be able
 * to create and find cases (find settles an ambiguous create); reading changes and taking updates
 * are optional, and the engine skips the directions the CRM cannot do. {@code crmGuard} puts every
 * CRM call behind a circuit breaker and, if configured, a rate limit for the CRM's API quota; the
 * engine never retries a CRM call in place: the outbox does, with backoff.
 */
public record Jurisdiction(
    String id, Open311Side open311, CrmAdapter crm, JurisdictionMapping mapping, SyncSettings settings,
    RemoteSystem crmGuard) {

  /** A jurisdiction whose CRM calls go through the default circuit breaker. */
  public Jurisdiction(String id, Open311Side open311, CrmAdapter crm, JurisdictionMapping mapping,
      SyncSettings settings) {
    this(id, open311, crm, mapping, settings,
        RemoteSystem.create("crm:" + id, ResiliencePolicy.ofDefaults(), Sleeper.SYSTEM));
  }

  public Jurisdiction {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(open311, "open311 == null");
    Objects.requireNonNull(crm, "crm == null");
    Objects.requireNonNull(mapping, "mapping == null");
    Objects.requireNonNull(settings, "settings == null");
    Objects.requireNonNull(crmGuard, "crmGuard == null");
    if (crm.capability(CaseCreation.class).isEmpty() || crm.capability(CaseLookup.class).isEmpty()) {
      throw new IllegalArgumentException("jurisdiction " + id + ": CRM '" + crm.name()
          + "' must create cases and find them by external reference");
    }
  }

  CaseCreation creation() {
    return crm.capability(CaseCreation.class).orElseThrow();
  }

  CaseLookup lookup() {
    return crm.capability(CaseLookup.class).orElseThrow();
  }

  java.util.Optional<ChangeFeed> feed() {
    return crm.capability(ChangeFeed.class);
  }

  java.util.Optional<CaseUpdates> updates() {
    return crm.capability(CaseUpdates.class);
  }
}
