package org.civicsync.examples.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.civicsync.core.crm.memory.InMemoryCrm;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.core.spi.CrmCase;
import org.civicsync.core.spi.CrmNote;
import org.civicsync.core.sync.PassResult;
import org.civicsync.core.sync.ServeMode;
import org.civicsync.core.sync.SyncEngine;
import org.civicsync.examples.config.ConfigFile;
import org.civicsync.examples.config.ConnectorConfig;
import org.civicsync.examples.config.SecretResolver;
import org.civicsync.examples.connector.Connector;
import org.civicsync.examples.connector.ConnectorRun;
import org.civicsync.examples.connector.PollLoop;

/**
 * The self-contained demo: a simulated FixMyStreet over real HTTP on loopback, the in-memory CRM,
 * an H2 store in a temporary folder, and the connector configured from a YAML file like an
 * operator's. Poll mode: three reports arrive in the CRM; a case closed in the CRM becomes FIXED on
 * FixMyStreet; a citizen's comment reaches the CRM as a note. Then serve mode, hosted as
 * {@code civicsync run} hosts it: FixMyStreet POSTs a report to the connector's endpoint, the case
 * appears in the CRM (once, even when resent), the officer closes it, and FixMyStreet's fetch of
 * {@code servicerequestupdates.xml} shows it fixed. Prints the story as it happens.
 */
public final class Demo {
  public static final String API_KEY_VARIABLE = "DEMO_FMS_API_KEY";
  private static final String API_KEY = "demo-key-" + Long.toHexString(System.nanoTime());

  /** What the demo showed; {@link #succeeded()} when every flow of both modes worked. */
  public record Outcome(int casesCreated, boolean closureReachedFixMyStreet,
      boolean commentReachedCrm, boolean nothingDuplicated, boolean servedReportReachedCrmOnce,
      boolean servedClosureFetchedAsFixed) {
    public boolean succeeded() {
      return casesCreated == 3 && closureReachedFixMyStreet && commentReachedCrm && nothingDuplicated
          && servedReportReachedCrmOnce && servedClosureFetchedAsFixed;
    }
  }

  private final PrintWriter out;
  private final Clock clock;

  public Demo(PrintWriter out, Clock clock) {
    this.out = Objects.requireNonNull(out, "out == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  public Outcome run() throws Exception {
    Path dir = Files.createTempDirectory("civicsync-demo");
    try (SimulatedFixMyStreet fms = SimulatedFixMyStreet.start(clock, API_KEY)) {
      say("1. A simulated FixMyStreet is listening on " + fms.endpoint()
          + " (GeoReport v2 + updates, XML). The CRM is CivicSync's in-memory CRM; the state store"
          + " is an H2 file in " + dir + ".");
      String pothole = fms.report("POT", "Deep pothole outside the school", "12 Corn Street, Bristol", 51.4545, -2.5930);
      String light = fms.report("LIGHT", "Street light flickering all night", "3 Park Row, Bristol", 51.4560, -2.6010);
      String flytip = fms.report("FLY", "Mattresses dumped in the lane", "Back of 40 Gloucester Road", 51.4700, -2.5900);
      say("   Citizens report three problems on FixMyStreet: #" + pothole + " pothole, #" + light
          + " street light, #" + flytip + " fly-tipping.");

      Path config = dir.resolve("civicsync.yaml");
      Files.writeString(config, configuration(fms.endpoint()));
      ConnectorConfig c = ConfigFile.reader(SecretResolver.of(Map.of(API_KEY_VARIABLE, API_KEY)::get),
          CrmAdapterRegistry.installed(), clock).read(config);
      say("2. The connector reads " + config.getFileName() + " (poll mode, every 60 s in production;"
          + " here one pass per step).");
      try (Connector connector = Connector.open(c, CrmAdapterRegistry.installed(), clock, "demo")) {
        InMemoryCrm crm = (InMemoryCrm) connector.crm("bristol").orElseThrow();
        SyncEngine engine = connector.engine().orElseThrow();

        pass(engine, "first pass");
        List<CrmCase> cases = crm.cases();
        for (CrmCase k : cases) {
          say("   CRM case " + k.caseId() + ": type " + k.caseType() + ", status " + k.statusCode()
              + ", from FixMyStreet #" + k.externalReference().orElse("?"));
        }
        int created = cases.size();

        say("3. A council officer fixes the pothole and closes its case in the CRM as FIXED.");
        CrmCase potholeCase = caseOf(crm, pothole);
        crm.officer().close(potholeCase.caseId(), "FIXED");
        pass(engine, "next pass");
        String fmsStatus = fms.problem(pothole).status();
        say("   FixMyStreet #" + pothole + " is now '" + fmsStatus + "' (the council's update "
            + fms.councilUpdates().stream().filter(u -> u.requestId().equals(pothole))
                .map(SimulatedFixMyStreet.Update::updateId).findFirst().orElse("?") + ").");
        boolean fixed = fmsStatus.equals("fixed");

        say("4. A citizen comments on the street light report on FixMyStreet.");
        fms.comment(light, "Still flickering tonight, and now it buzzes too.");
        pass(engine, "next pass");
        CrmCase lightCase = caseOf(crm, light);
        List<CrmNote> notes = crm.notes(lightCase.caseId());
        notes.forEach(n -> say("   CRM case " + lightCase.caseId() + " has a note: \"" + n.text() + "\""));
        boolean commented = notes.stream().anyMatch(n -> n.text().contains("buzzes"));

        pass(engine, "a quiet pass, to show nothing repeats");
        boolean once = crm.cases().size() == 3 && Stream.of(pothole, light, flytip)
            .allMatch(id -> crm.createCount(id) == 1) && fms.councilUpdates().size() == 1;

        ServeStory served = serveMode(fms, dir);
        Outcome outcome = new Outcome(created, fixed, commented, once, served.reachedCrmOnce(),
            served.fetchedAsFixed());
        say(outcome.succeeded()
            ? "Done: in poll mode 3 reports reached the CRM exactly once, the closure reached"
              + " FixMyStreet as FIXED, and the citizen's comment reached the CRM; in serve mode the"
              + " report FixMyStreet pushed reached the CRM exactly once, and FixMyStreet fetched"
              + " its closure as fixed."
            : "The demo did NOT complete as expected: " + outcome);
        return outcome;
      }
    } finally {
      delete(dir);
    }
  }

  private record ServeStory(boolean reachedCrmOnce, boolean fetchedAsFixed) {}

  /** The same run in serve mode: FixMyStreet pushes to the connector, and fetches its updates. */
  private ServeStory serveMode(SimulatedFixMyStreet fms, Path dir) throws Exception {
    Path config = dir.resolve("civicsync-serve.yaml");
    Files.writeString(config, serveConfiguration());
    ConnectorConfig c = ConfigFile.reader(SecretResolver.of(Map.of(API_KEY_VARIABLE, API_KEY)::get),
        CrmAdapterRegistry.installed(), clock).read(config);
    say("5. Now the same run in serve mode: FixMyStreet pushes to the connector, which is the"
        + " council's Open311 endpoint. The connector reads " + config.getFileName()
        + " (open311.serve instead of open311.poll) and serves it as `civicsync run` does.");
    try (Connector connector = Connector.open(c, CrmAdapterRegistry.installed(), clock, "demo-serve");
         ConnectorRun run = ConnectorRun.start(connector, clock, PollLoop.Pause.REAL, r -> { },
             Duration.ofSeconds(5))) {
      String endpoint = run.urls().get("bristol");
      InMemoryCrm crm = (InMemoryCrm) connector.crm("bristol").orElseThrow();
      ServeMode serveMode = connector.serveMode().orElseThrow();
      say("   The connector serves bristol at " + endpoint + " (embedded Jetty on loopback).");
      String paving = fms.report("POT", "Pothole by the bus stop", "1 Broad Quay, Bristol", 51.4530, -2.5970);
      say("   A citizen reports #" + paving + " on FixMyStreet; FixMyStreet POSTs it to "
          + endpoint + "requests.xml as a form, with attribute[fixmystreet_id]=" + paving + ".");
      String caseId = fms.sendToCouncil(endpoint, API_KEY, "bristol", paving);
      say("   The connector created the case before answering: service_request_id " + caseId + ".");
      crm.cases().forEach(k -> say("   CRM case " + k.caseId() + ": type " + k.caseType()
          + ", status " + k.statusCode() + ", from FixMyStreet " + k.externalReference().orElse("?")));
      String resent = fms.sendToCouncil(endpoint, API_KEY, "bristol", paving);
      say("   FixMyStreet sends it again (as after a timeout): the answer is " + resent
          + " again, and the CRM still has " + crm.cases().size() + " case.");
      boolean reachedOnce = crm.cases().size() == 1 && resent.equals(caseId)
          && crm.cases().get(0).caseId().equals(caseId);

      say("6. The officer fixes it and closes case " + caseId + " in the CRM as FIXED.");
      crm.officer().close(caseId, "FIXED");
      PassResult work = serveMode.work("bristol");
      say("   [background work, every " + c.jurisdictions().get(0).serve().orElseThrow().every()
          .toSeconds() + " s under run; here once] " + work.crmChangesRead() + " CRM changes read, "
          + work.updatesForOpen311() + " updates for FixMyStreet's feed, " + work.workFailed()
          + " failed");
      int read = fms.fetchFromCouncil(endpoint, API_KEY, "bristol");
      String status = fms.problem(paving).status();
      say("   FixMyStreet fetches GET " + endpoint + "servicerequestupdates.xml: " + read
          + " update; #" + paving + " is now '" + status + "'.");
      return new ServeStory(reachedOnce, status.equals("fixed"));
    }
  }

  private static CrmCase caseOf(InMemoryCrm crm, String requestId) {
    return crm.cases().stream().filter(k -> k.externalReference().filter(requestId::equals).isPresent())
        .findFirst().orElseThrow(() -> new IllegalStateException("no CRM case for #" + requestId));
  }

  private void pass(SyncEngine engine, String what) {
    for (PassResult r : engine.runOnce()) {
      say("   [" + what + "] " + r.requestsSeen() + " requests read, " + r.casesCreated()
          + " cases created, " + r.crmChangesRead() + " CRM changes read, " + r.updatesDelivered()
          + " updates delivered to FixMyStreet, " + r.crmUpdatesApplied() + " applied to the CRM, "
          + r.workFailed() + " failed");
    }
  }

  private void say(String line) {
    out.println(line);
    out.flush();
  }

  /** The demo's configuration for a FixMyStreet at {@code endpoint}; the api key is read from {@value #API_KEY_VARIABLE}. */
  public static String configuration(String endpoint) {
    return """
        store:
          h2_file: state
        jurisdictions:
          bristol:
            open311:
              poll:
                endpoint: %s
                format: xml
                api_key: ${env:%s}
                reads_updates: true
                posts_updates: true
                every: 60s
        """.formatted(endpoint, API_KEY_VARIABLE) + CRM_AND_MAPPING;
  }

  /**
   * The demo's serve-mode configuration: bristol served on a free loopback port; the key
   * FixMyStreet must send is read from {@value #API_KEY_VARIABLE}.
   */
  public static String serveConfiguration() {
    return """
        store:
          h2_file: state-serve
        jurisdictions:
          bristol:
            open311:
              serve:
                listen_host: 127.0.0.1
                listen_port: 0
                path: /open311/v2/bristol/
                api_key: ${env:%s}
                queued: false
                every: 2s
        """.formatted(API_KEY_VARIABLE) + CRM_AND_MAPPING;
  }

  private static final String CRM_AND_MAPPING = """
          crm:
            type: memory
            settings: { closed_status_codes: [CLOSED, FIXED], closing_status_code: CLOSED }
          mapping:
            services: { POT: Pothole, LIGHT: StreetLight, FLY: FlyTipping }
            statuses:
              crm_to_open311: { NEW: open, INP: in_progress, FIXED: fixed, CLOSED: closed }
              open311_to_crm: { fixed: FIXED, closed: CLOSED, reopen: NEW }
              closes_crm_case: [ fixed, closed ]
            timezones: { crm: Europe/London, open311: UTC }
          sync:
            backfill_from: 1h
      """;

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
