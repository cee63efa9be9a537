package org.civicsync.examples.server;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
import org.civicsync.open311.server.Open311Server;
import org.civicsync.open311.server.ServedJurisdiction;

/**
 * The sample configuration: one jurisdiction, {@code example.council}, served from the in-memory
 * CRM at {@code http://127.0.0.1:8311/open311/v2/}, state in {@code ./civicsync-serve.mv.db}.
 * Point FixMyStreet, curl or a browser at it:
 *
 * <pre>
 * CIVICSYNC_API_KEY=... java -cp examples/target/civicsync.jar org.civicsync.examples.server.ServeExample
 * curl http://127.0.0.1:8311/open311/v2/services.xml
 * </pre>
 */
public final class ServeExample {
  public static final String JURISDICTION = "example.council";
  public static final int PORT = 8311;

  private ServeExample() {}

  public static Open311Server server(SyncStore store, Clock clock, InMemoryCrm crm, String apiKey,
      ServedJurisdiction.Mode mode) {
    JurisdictionMapping mapping = JurisdictionMapping.builder(JURISDICTION)
        .service("POT", "Pothole").service("LIGHT", "StreetLight")
        .crmStatus("NEW", Status.OPEN).crmStatus("INP", Status.IN_PROGRESS)
        .crmStatus("FIXED", Status.FIXED).crmStatus("CLOSED", Status.CLOSED)
        .crmStatus("NFA", Status.NO_FURTHER_ACTION)
        .closesCrmCase(Status.FIXED, Status.CLOSED).citizenFixedClosesCrmCase(true)
        .crmZone(ZoneId.of("Europe/London")).open311Zone(ZoneId.of("UTC"))
        .build();
    Jurisdiction j = new Jurisdiction(JURISDICTION, ServedOpen311.INSTANCE, crm, mapping,
        SyncSettings.ofDefaults(Instant.parse("2024-01-01T00:00:00Z")));
    ServeMode serveMode = ServeMode.create(store, clock, "serve-" + ProcessHandle.current().pid(),
        List.of(j));
    return Open311Server.builder(serveMode).clock(clock)
        .baseUrl("http://127.0.0.1:" + PORT + "/open311/v2/")
        .jurisdiction(ServedJurisdiction.withFixMyStreetIds(JURISDICTION, apiKey, mode, List.of(
            new Service("POT", "Pothole", Optional.empty(), false, ServiceType.REALTIME,
                List.of(), List.of("Roads")),
            new Service("LIGHT", "Street light", Optional.empty(), false, ServiceType.REALTIME,
                List.of(), List.of("Lighting")))))
        .build();
  }

  public static InMemoryCrm crm(Clock clock) {
    return InMemoryCrm.builder().name("memory").clock(clock)
        .closedStatusCodes(Set.of("CLOSED", "FIXED", "NFA")).closingStatusCode("CLOSED").build();
  }

  public static void main(String[] args) throws Exception {
    String apiKey = System.getenv("CIVICSYNC_API_KEY");
    if (apiKey == null || apiKey.isEmpty()) {
      System.err.println("set CIVICSYNC_API_KEY to the key FixMyStreet will send");
      System.exit(2);
    }
    Path state = Path.of(args.length > 0 ? args[0] : "civicsync-serve");
    int port = args.length > 1 ? Integer.parseInt(args[1]) : PORT;
    Clock clock = Clock.systemUTC();
    SyncStore store = SyncStores.h2File(state, H2Durability.PROCESS_CRASH, clock);
    InMemoryCrm crm = crm(clock);
    Open311Server server = server(store, clock, crm, apiKey, ServedJurisdiction.Mode.REALTIME);
    JettyOpen311Host host = JettyOpen311Host.start(server, "127.0.0.1", port, "/open311/v2/");
    ScheduledExecutorService pump = Executors.newSingleThreadScheduledExecutor();
    // The pump is how a served report's queued work and CRM changes reach the journal.
    pump.scheduleWithFixedDelay(() -> {
      try {
        serveModeOf(server).ifPresent(s -> s.work(JURISDICTION));
      } catch (RuntimeException e) {
        System.err.println("background work failed: " + e.getClass().getSimpleName());
      }
    }, 2, 2, TimeUnit.SECONDS);
    System.out.println("serving " + JURISDICTION + " at http://127.0.0.1:" + host.port()
        + "/open311/v2/");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      pump.shutdownNow();
      try {
        host.close();
      } catch (Exception ignored) {
        // shutting down anyway
      }
      store.close();
    }));
  }

  private static Optional<ServeMode> serveModeOf(Open311Server server) {
    return Optional.ofNullable(server.serveMode());
  }
}
