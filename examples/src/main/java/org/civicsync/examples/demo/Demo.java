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
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneId;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.core.sync.PassResult;
import org.civicsync.core.sync.ServeMode;
import org.civicsync.core.sync.SyncEngine;
import org.civicsync.examples.config.ConfigFile;
import org.civicsync.examples.config.ConnectorConfig;
import org.civicsync.examples.config.SecretResolver;
import org.civicsync.examples.connector.Connector;
import org.civicsync.examples.connector.ConnectorRun;
import org.civicsync.examples.connector.LogContext;
import org.civicsync.examples.connector.PollLoop;

/**
 * The self-contained demo: a simulated FixMyStreet and a simulated ServiceNow instance, both over
 * real HTTP on loopback, an H2 store in a temporary folder, and the connector configured from a
 * YAML file like an operator's, with the real ServiceNow adapter ({@code crm.type: servicenow}).
 * Poll mode: three reports arrive in ServiceNow as incidents; an incident the officer resolves
 * becomes FIXED on FixMyStreet; a citizen's comment reaches the incident as a work note. Then
 * serve mode, hosted as {@code civicsync run} hosts it: FixMyStreet POSTs a report to the
 * connector's endpoint, the incident appears in ServiceNow (once, even when resent), the officer
 * resolves it, and FixMyStreet's fetch of {@code servicerequestupdates.xml} shows it fixed. Prints
 * the story as it happens.
 */
public final class Demo {
  public static final String API_KEY_VARIABLE = "DEMO_FMS_API_KEY";
  public static final String CRM_PASSWORD_VARIABLE = "DEMO_SN_PASSWORD";
  private static final String API_KEY = "demo-key-" + Long.toHexString(System.nanoTime());
  private static final String INTEGRATION_USER = "civicsync.integration";
  private static final String INTEGRATION_PASSWORD = "demo-pw-" + Long.toHexString(System.nanoTime() * 31);
  private static final String OFFICER = "highways.officer";
  private static final String OFFICER_PASSWORD = "demo-officer-" + Long.toHexString(System.nanoTime() * 17);
  private static final String TABLE = "incident";
  /** What the officer sets to resolve an incident: state 6 (Resolved), with the mandatory close fields. */
  private static final String RESOLVED = "6";

  /** The citizen of the report FixMyStreet pushes in serve mode; their details must never be printed or logged. */
  public static final SimulatedFixMyStreet.Citizen SERVE_MODE_CITIZEN = new SimulatedFixMyStreet.Citizen(
      "Ada", "Quibbleworth", "ada.quibbleworth@example.org", "+44 7700 900123");

  /** What the demo showed; {@link #succeeded()} when every flow of both modes worked. */
  public record Outcome(int casesCreated, boolean closureReachedFixMyStreet,
      boolean commentReachedCrm, boolean nothingDuplicated, boolean servedReportReachedCrmOnce,
      boolean servedClosureFetchedAsFixed, boolean crmReachedOverHttp) {
    public boolean succeeded() {
      return casesCreated == 3 && closureReachedFixMyStreet && commentReachedCrm && nothingDuplicated
          && servedReportReachedCrmOnce && servedClosureFetchedAsFixed && crmReachedOverHttp;
    }
  }

  private final PrintWriter out;
  private final Clock clock;

  public Demo(PrintWriter out, Clock clock) {
    this.out = Objects.requireNonNull(out, "out == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  /** The secrets the demo's configurations refer to, as the environment would hold them. */
  static SecretResolver secrets() {
    return SecretResolver.of(Map.of(API_KEY_VARIABLE, API_KEY,
        CRM_PASSWORD_VARIABLE, INTEGRATION_PASSWORD)::get);
  }

  /** The secrets of this run, for tests that check none of them is ever printed or logged. */
  public static List<String> secretValues() {
    return List.of(API_KEY, INTEGRATION_PASSWORD, OFFICER_PASSWORD);
  }

  public Outcome run() throws Exception {
    Path dir = Files.createTempDirectory("civicsync-demo");
    try (SimulatedFixMyStreet fms = SimulatedFixMyStreet.start(clock, API_KEY);
         SimulatedServiceNow sn = SimulatedServiceNow.start(clock, ZoneId.of("Europe/London"),
             Map.of(INTEGRATION_USER, INTEGRATION_PASSWORD, OFFICER, OFFICER_PASSWORD))) {
      say("1. A simulated FixMyStreet is listening on " + fms.endpoint()
          + " (GeoReport v2 + updates, XML), and a simulated ServiceNow instance on "
          + sn.instanceUrl() + " (Table API, incident table, HTTP Basic). The state store is an"
          + " H2 file in " + dir + ".");
      String pothole = fms.report("POT", "Deep pothole outside the school", "12 Corn Street, Bristol", 51.4545, -2.5930);
      String light = fms.report("LIGHT", "Street light flickering all night", "3 Park Row, Bristol", 51.4560, -2.6010);
      String flytip = fms.report("FLY", "Mattresses dumped in the lane", "Back of 40 Gloucester Road", 51.4700, -2.5900);
      say("   Citizens report three problems on FixMyStreet: #" + pothole + " pothole, #" + light
          + " street light, #" + flytip + " fly-tipping.");

      Path config = dir.resolve("civicsync.yaml");
      Files.writeString(config, configuration(fms.endpoint(), sn.instanceUrl()));
      ConnectorConfig c = ConfigFile.reader(secrets(), CrmAdapterRegistry.installed(), clock).read(config);
      say("2. The connector reads " + config.getFileName() + " (poll mode, every 60 s in production;"
          + " here one pass per step; crm.type: servicenow, the real ServiceNow adapter).");
      try (Connector connector = Connector.open(c, CrmAdapterRegistry.installed(), clock, "demo")) {
        SyncEngine engine = connector.engine().orElseThrow();

        pass(engine, "first pass");
        List<ObjectNode> incidents = sn.records(TABLE);
        for (ObjectNode k : incidents) {
          say("   ServiceNow incident " + k.path("number").asText() + " (sys_id "
              + k.path("sys_id").asText() + "): category " + k.path("category").asText()
              + ", state " + k.path("state").asText() + ", from FixMyStreet #"
              + k.path("correlation_id").asText());
        }
        long posts = sn.calls().stream().filter(call -> call.equals("POST /api/now/table/incident")).count();
        say("   The adapter made " + sn.calls().size() + " Table API calls for it, " + posts
            + " of them POST /api/now/table/incident.");
        int created = incidents.size();

        ObjectNode potholeCase = incidentOf(sn, pothole);
        say("3. A council officer fixes the pothole and resolves " + potholeCase.path("number").asText()
            + " in ServiceNow (state 6, close code \"Solved (Permanently)\").");
        resolve(sn, potholeCase, "Pothole filled and sealed.");
        pass(engine, "next pass");
        String fmsStatus = fms.problem(pothole).status();
        say("   FixMyStreet #" + pothole + " is now '" + fmsStatus + "' (the council's update "
            + fms.councilUpdates().stream().filter(u -> u.requestId().equals(pothole))
                .map(SimulatedFixMyStreet.Update::updateId).findFirst().orElse("?") + ").");
        boolean fixed = fmsStatus.equals("fixed");

        say("4. A citizen comments on the street light report on FixMyStreet.");
        fms.comment(light, "Still flickering tonight, and now it buzzes too.");
        pass(engine, "next pass");
        ObjectNode lightCase = incidentOf(sn, light);
        List<ObjectNode> notes = sn.journal(lightCase.path("sys_id").asText());
        notes.forEach(n -> say("   ServiceNow incident " + lightCase.path("number").asText() + " has a "
            + n.path("element").asText() + " entry: \"" + n.path("value").asText().replace("\n", " ") + "\""));
        boolean commented = notes.stream().anyMatch(n -> n.path("value").asText().contains("buzzes"));

        pass(engine, "a quiet pass, to show nothing repeats");
        boolean once = sn.records(TABLE).size() == 3 && Stream.of(pothole, light, flytip)
            .allMatch(id -> incidentsFor(sn, id) == 1) && fms.councilUpdates().size() == 1;

        ServeStory served = serveMode(fms, sn, dir);
        boolean overHttp = sn.calls().stream().anyMatch(call -> call.equals("POST /api/now/table/incident"))
            && sn.calls().stream().anyMatch(call -> call.startsWith("PATCH /api/now/table/incident/"));
        Outcome outcome = new Outcome(created, fixed, commented, once, served.reachedCrmOnce(),
            served.fetchedAsFixed(), overHttp);
        say(outcome.succeeded()
            ? "Done: in poll mode 3 reports reached the CRM exactly once, the closure reached"
              + " FixMyStreet as FIXED, and the citizen's comment reached the CRM; in serve mode the"
              + " report FixMyStreet pushed reached the CRM exactly once, and FixMyStreet fetched"
              + " its closure as fixed. ServiceNow answered " + sn.calls().size()
              + " Table API calls over HTTP."
            : "The demo did NOT complete as expected: " + outcome);
        return outcome;
      }
    } finally {
      delete(dir);
    }
  }

  private record ServeStory(boolean reachedCrmOnce, boolean fetchedAsFixed) {}

  /** The same run in serve mode: FixMyStreet pushes to the connector, and fetches its updates. */
  private ServeStory serveMode(SimulatedFixMyStreet fms, SimulatedServiceNow sn, Path dir)
      throws Exception {
    Path config = dir.resolve("civicsync-serve.yaml");
    Files.writeString(config, serveConfiguration(sn.instanceUrl()));
    ConnectorConfig c = ConfigFile.reader(secrets(), CrmAdapterRegistry.installed(), clock).read(config);
    say("5. Now the same run in serve mode: FixMyStreet pushes to the connector, which is the"
        + " council's Open311 endpoint. The connector reads " + config.getFileName()
        + " (open311.serve instead of open311.poll) and serves it as `civicsync run` does.");
    try (Connector connector = Connector.open(c, CrmAdapterRegistry.installed(), clock, "demo-serve");
         ConnectorRun run = ConnectorRun.start(connector, clock, PollLoop.Pause.REAL, r -> { },
             Duration.ofSeconds(5))) {
      String endpoint = run.urls().get("bristol");
      ServeMode serveMode = connector.serveMode().orElseThrow();
      say("   The connector serves bristol at " + endpoint + " (embedded Jetty on loopback).");
      String paving = fms.report("POT", "Pothole by the bus stop", "1 Broad Quay, Bristol", 51.4530,
          -2.5970, SERVE_MODE_CITIZEN);
      say("   A citizen reports #" + paving + " on FixMyStreet; FixMyStreet POSTs it to "
          + endpoint + "requests.xml as a form, with attribute[fixmystreet_id]=" + paving
          + " and the citizen's contact details (never printed or logged).");
      String caseId = fms.sendToCouncil(endpoint, API_KEY, "bristol", paving);
      say("   The connector created the case before answering: service_request_id " + caseId + ".");
      List<ObjectNode> mine = sn.records(TABLE).stream()
          .filter(k -> k.path("sys_id").asText().equals(caseId)).toList();
      mine.forEach(k -> say("   ServiceNow incident " + k.path("number").asText() + ": category "
          + k.path("category").asText() + ", state " + k.path("state").asText()
          + ", from FixMyStreet " + k.path("correlation_id").asText()));
      String resent = fms.sendToCouncil(endpoint, API_KEY, "bristol", paving);
      long forIt = sn.records(TABLE).stream().filter(k -> k.path("correlation_id").asText()
          .equals(mine.isEmpty() ? "?" : mine.get(0).path("correlation_id").asText())).count();
      say("   FixMyStreet sends it again (as after a timeout): the answer is " + resent
          + " again, and ServiceNow still has " + forIt + " incident for it ("
          + sn.records(TABLE).size() + " in all).");
      boolean reachedOnce = mine.size() == 1 && forIt == 1 && resent.equals(caseId)
          && sn.records(TABLE).size() == 4;

      say("6. The officer fixes it and resolves " + (mine.isEmpty() ? caseId : mine.get(0).path("number").asText())
          + " in ServiceNow.");
      if (!mine.isEmpty()) {
        resolve(sn, mine.get(0), "Pothole filled.");
      }
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

  /** The officer resolves an incident through the Table API, as the instance's form does. */
  private static void resolve(SimulatedServiceNow sn, ObjectNode incident, String notes)
      throws Exception {
    int status = sn.patchAs(OFFICER, OFFICER_PASSWORD, TABLE, incident.path("sys_id").asText(),
        Map.of("state", RESOLVED, "close_code", "Solved (Permanently)", "close_notes", notes));
    if (status != 200) {
      throw new IllegalStateException("ServiceNow answered HTTP " + status + " to the officer");
    }
  }

  private static ObjectNode incidentOf(SimulatedServiceNow sn, String requestId) {
    return sn.records(TABLE).stream()
        .filter(k -> k.path("correlation_id").asText().equals(requestId))
        .findFirst().orElseThrow(() -> new IllegalStateException("no incident for #" + requestId));
  }

  private static long incidentsFor(SimulatedServiceNow sn, String requestId) {
    return sn.records(TABLE).stream()
        .filter(k -> k.path("correlation_id").asText().equals(requestId)).count();
  }

  private void pass(SyncEngine engine, String what) {
    for (String id : engine.jurisdictions().keySet()) {
      PassResult r;
      try (LogContext j = LogContext.put("jurisdiction", id)) {
        r = engine.runOnce(id);
      }
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

  /**
   * The demo's poll configuration with the in-memory CRM instead of ServiceNow, for tests that
   * need a connector against a {@link SimulatedFixMyStreet} and nothing else.
   */
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
        """.formatted(endpoint, API_KEY_VARIABLE);
  }

  /**
   * The demo's configuration for a FixMyStreet at {@code endpoint} and a ServiceNow instance at
   * {@code instanceUrl}; the api key is read from {@value #API_KEY_VARIABLE}, the integration
   * user's password from {@value #CRM_PASSWORD_VARIABLE}.
   */
  public static String configuration(String endpoint, String instanceUrl) {
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
        """.formatted(endpoint, API_KEY_VARIABLE) + crmAndMapping(instanceUrl);
  }

  /**
   * The demo's serve-mode configuration: bristol served on a free loopback port; the key
   * FixMyStreet must send is read from {@value #API_KEY_VARIABLE}.
   */
  public static String serveConfiguration(String instanceUrl) {
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
        """.formatted(API_KEY_VARIABLE) + crmAndMapping(instanceUrl);
  }

  private static String crmAndMapping(String instanceUrl) {
    return """
          crm:
            type: servicenow
            name: bristol-servicenow
            settings:
              instance_url: %s
              auth: basic
              user: %s
              password: ${env:%s}
              table: incident
              user_time_zone: Europe/London
              closed_states: ["6", "7"]
          mapping:
            services: { POT: roads, LIGHT: street_lighting, FLY: waste }
            statuses:
              crm_to_open311: { "1": open, "2": in_progress, "6": fixed, "7": closed }
              unknown_crm_status: in_progress
              open311_to_crm: { fixed: "6", closed: "7", reopen: "2" }
              closes_crm_case: [ fixed, closed ]
            timezones: { crm: Europe/London, open311: UTC }
          sync:
            backfill_from: 1h
      """.formatted(instanceUrl, INTEGRATION_USER, CRM_PASSWORD_VARIABLE);
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
