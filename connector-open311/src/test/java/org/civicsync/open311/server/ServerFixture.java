package org.civicsync.open311.server;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.civicsync.core.crm.memory.InMemoryCrm;
import org.civicsync.core.mapping.JurisdictionMapping;
import org.civicsync.core.model.Service;
import org.civicsync.core.model.ServiceType;
import org.civicsync.core.model.Status;
import org.civicsync.core.store.H2Durability;
import org.civicsync.core.store.SyncStore;
import org.civicsync.core.store.SyncStores;
import org.civicsync.core.sync.Jurisdiction;
import org.civicsync.core.sync.ServeMode;
import org.civicsync.core.sync.ServedOpen311;
import org.civicsync.core.sync.SyncSettings;
import org.civicsync.core.testing.MutableClock;

/** A server for one jurisdiction over an H2 file store and the in-memory CRM, on a test clock. */
final class ServerFixture implements AutoCloseable {
  static final String J = "council.example";
  static final String KEY = "s3cret-key";

  final MutableClock clock = MutableClock.at("2024-05-01T09:00:00Z");
  final InMemoryCrm crm;
  final SyncStore store;
  final ServeMode serveMode;
  final Open311Server server;

  ServerFixture(Path dir, ServedJurisdiction.Mode mode) {
    this(dir, mode, List.of(), false);
  }

  /**
   * @param crmServices the CRM's case types (its service catalogue)
   * @param servicesFromCrm whether the server lists services from that catalogue
   */
  ServerFixture(Path dir, ServedJurisdiction.Mode mode, List<Service> crmServices,
      boolean servicesFromCrm) {
    crm = InMemoryCrm.builder().name("memory").clock(clock).services(crmServices)
        .closedStatusCodes(Set.of("CLOSED", "FIXED", "NFA")).closingStatusCode("CLOSED").build();
    store = SyncStores.h2File(dir.resolve("serve"), H2Durability.PROCESS_CRASH, clock);
    JurisdictionMapping mapping = JurisdictionMapping.builder(J)
        .service("POT", "Pothole").service("LIGHT", "StreetLight")
        .crmStatus("NEW", Status.OPEN).crmStatus("INP", Status.IN_PROGRESS)
        .crmStatus("FIXED", Status.FIXED).crmStatus("CLOSED", Status.CLOSED)
        .crmStatus("NFA", Status.NO_FURTHER_ACTION)
        .closesCrmCase(Status.FIXED, Status.CLOSED)
        .citizenFixedClosesCrmCase(true)
        .crmZone(ZoneId.of("Europe/London")).open311Zone(ZoneId.of("UTC"))
        .build();
    Jurisdiction jurisdiction = new Jurisdiction(J, ServedOpen311.INSTANCE, crm, mapping,
        SyncSettings.ofDefaults(Instant.parse("2024-05-01T00:00:00Z")));
    serveMode = ServeMode.create(store, clock, "node-a", List.of(jurisdiction));
    Open311Server.Builder builder = Open311Server.builder(serveMode);
    if (servicesFromCrm) {
      builder.servicesFromCrm(J, java.time.Duration.ofMinutes(5));
    }
    server = builder.clock(clock).maxBodyBytes(64 * 1024)
        .jurisdiction(ServedJurisdiction.withFixMyStreetIds(J, KEY, mode, List.of(
            new Service("POT", "Pothole", Optional.of("A hole in the road"), false,
                ServiceType.REALTIME, List.of(), List.of("Roads")),
            new Service("LIGHT", "Street light", Optional.empty(), false, ServiceType.REALTIME,
                List.of("private"), List.of("Lighting", "Roads")))))
        .build();
  }

  ServerResponse get(String path, String query) {
    return server.handle(ServerRequest.get(path, query));
  }

  ServerResponse postForm(String path, String body) {
    return server.handle(ServerRequest.post(path, "application/x-www-form-urlencoded",
        body.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public void close() {
    store.close();
  }
}
