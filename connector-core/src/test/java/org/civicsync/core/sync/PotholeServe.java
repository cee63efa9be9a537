package org.civicsync.core.sync;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.civicsync.core.crm.memory.InMemoryCrm;
import org.civicsync.core.mapping.JurisdictionMapping;
import org.civicsync.core.model.Status;
import org.civicsync.core.store.SyncStore;

/** Serve mode for one jurisdiction with one service (POT, "Pothole") over a given CRM. */
final class PotholeServe {
  private PotholeServe() {}

  static ServeMode on(SyncStore store, Clock clock, InMemoryCrm crm, String jurisdiction) {
    JurisdictionMapping mapping = JurisdictionMapping.builder(jurisdiction)
        .service("POT", "Pothole")
        .crmStatus("NEW", Status.OPEN).crmStatus("FIXED", Status.FIXED)
        .crmStatus("CLOSED", Status.CLOSED)
        .closesCrmCase(Status.FIXED, Status.CLOSED)
        .crmZone(ZoneId.of("Europe/London")).open311Zone(ZoneId.of("UTC"))
        .build();
    Jurisdiction j = new Jurisdiction(jurisdiction, ServedOpen311.INSTANCE, crm, mapping,
        SyncSettings.ofDefaults(Instant.parse("2024-05-01T00:00:00Z")));
    return ServeMode.create(store, clock, "node-a", List.of(j));
  }
}
