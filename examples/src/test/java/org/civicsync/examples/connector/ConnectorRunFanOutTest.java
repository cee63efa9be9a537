package org.civicsync.examples.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.civicsync.examples.connector.Answers.eventually;
import static org.civicsync.examples.connector.Answers.group;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.civicsync.core.crm.memory.InMemoryCrm;
import org.civicsync.core.model.Service;
import org.civicsync.core.model.ServiceType;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.core.testing.MutableClock;
import org.civicsync.examples.config.ConfigFile;
import org.civicsync.examples.config.ConnectorConfig;
import org.civicsync.examples.config.SecretResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} serving what only the YAML configures, over real HTTP on one loopback port: a
 * jurisdiction fanned out to two in-memory CRMs (each POST lands in its branch's CRM, ids come
 * back prefixed and route back), and a jurisdiction whose service list is its CRM's catalogue.
 */
class ConnectorRunFanOutTest {
  private static final Pattern ID = Pattern.compile("<service_request_id>([^<]+)</service_request_id>");

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The installed adapters, and {@code catalogued}: an in-memory CRM that lists three case types. */
  private final CrmAdapterRegistry registry = CrmAdapterRegistry.builder().addInstalled()
      .add("catalogued", (name, settings) -> InMemoryCrm.builder().name(name)
          .closedStatusCodes(Set.of("CLOSED", "FIXED")).closingStatusCode("CLOSED")
          .services(List.of(caseType("Pothole", "Pothole in the road"),
              caseType("StreetLight", "Street light not working"),
              caseType("Graffiti", "Graffiti (no Open311 service maps it)")))
          .build())
      .build();

  @Test
  void aFannedOutJurisdictionRoutesEachServiceToItsCrmAndEachPrefixedIdBack() throws Exception {
    ConnectorConfig config = read(yaml());
    try (Connector connector = Connector.open(config, registry, clock, "test");
         ConnectorRun run = ConnectorRun.start(connector, clock, fakeTime(), r -> { },
             Duration.ofSeconds(5))) {
      assertThat(run.schedule()).containsOnlyKeys("bristol/hw", "bristol/env", "bath");
      String bristol = run.urls().get("bristol");
      assertThat(get(bristol + "services.xml")).contains("<service_code>POT</service_code>",
          "<service_code>LIGHT</service_code>", "<service_code>BIN</service_code>");
      Thread loop = new Thread(run::run, "loop");
      loop.start();

      String pothole = group(ID, post(bristol + "requests.xml", form("POT", "4242")).body());
      String bin = group(ID, post(bristol + "requests.xml", form("BIN", "4343")).body());
      InMemoryCrm highways = (InMemoryCrm) connector.crm("bristol/hw").orElseThrow();
      InMemoryCrm environment = (InMemoryCrm) connector.crm("bristol/env").orElseThrow();
      assertThat(highways.cases()).singleElement().satisfies(k -> {
        assertThat(pothole).isEqualTo("hw-" + k.caseId());
        assertThat(k.caseType()).isEqualTo("Pothole");
      });
      assertThat(environment.cases()).singleElement().satisfies(k -> {
        assertThat(bin).isEqualTo("env-" + k.caseId());
        assertThat(k.caseType()).isEqualTo("MissedBin");
      });
      // Both in-memory CRMs count from the same first id: only the prefix tells them apart.
      assertThat(pothole.substring(3)).isEqualTo(bin.substring(4));
      // A resend answers the same prefixed id and creates nothing.
      assertThat(group(ID, post(bristol + "requests.xml", form("BIN", "4343")).body())).isEqualTo(bin);
      assertThat(environment.cases()).hasSize(1);

      assertThat(get(bristol + "requests/" + pothole + ".xml?jurisdiction_id=bristol"))
          .contains("<service_request_id>" + pothole + "</service_request_id>",
              "<service_code>POT</service_code>");
      assertThat(get(bristol + "requests/" + bin + ".xml?jurisdiction_id=bristol"))
          .contains("<service_request_id>" + bin + "</service_request_id>",
              "<service_code>BIN</service_code>");
      HttpResponse<String> unknown = send(HttpRequest.newBuilder(
          URI.create(bristol + "requests/zz-" + bin.substring(4) + ".xml")).build());
      assertThat(unknown.statusCode()).isEqualTo(404);

      // The environment officer closes the bin case; that branch's scheduled work feeds it.
      environment.officer().close(bin.substring(4), "FIXED");
      String feed = bristol + "servicerequestupdates.xml?jurisdiction_id=bristol&api_key=k3y"
          + "&start_date=" + clock.instant().minus(Duration.ofHours(1))
          + "&end_date=" + clock.instant().plus(Duration.ofDays(1));
      assertThat(eventually(() -> Optional.of(get(feed)).filter(b -> b.contains("<status>fixed</status>"))))
          .contains("<service_request_id>" + bin + "</service_request_id>")
          .doesNotContain("<service_request_id>" + pothole + "</service_request_id>");

      run.stop();
      assertThat(run.awaitFinished(Duration.ofSeconds(10))).isTrue();
      loop.join(TimeUnit.SECONDS.toMillis(10));
    }
  }

  @Test
  void servicesFromCrmServesTheCatalogueThroughTheMapping() throws Exception {
    ConnectorConfig config = read(yaml());
    try (Connector connector = Connector.open(config, registry, clock, "test");
         ConnectorRun run = ConnectorRun.start(connector, clock, fakeTime(), r -> { },
             Duration.ofSeconds(5))) {
      String services = get(run.urls().get("bath") + "services.xml");
      // The CRM's two mapped case types, with the CRM's names; BIN is in the mapping but not in
      // the CRM's catalogue, Graffiti in the catalogue but not in the mapping: neither is served.
      assertThat(services).contains("<service_code>POT</service_code>",
          "<service_name>Pothole in the road</service_name>", "<service_code>LIGHT</service_code>",
          "<service_name>Street light not working</service_name>")
          .doesNotContain("<service_code>BIN</service_code>", "Graffiti");
      // A report under a catalogued service is taken; the case is created in that CRM.
      HttpResponse<String> created = post(run.urls().get("bath") + "requests.xml",
          form("LIGHT", "77").replace("jurisdiction_id=bristol", "jurisdiction_id=bath"));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
      assertThat(((InMemoryCrm) connector.crm("bath").orElseThrow()).cases()).singleElement()
          .satisfies(k -> assertThat(k.caseType()).isEqualTo("StreetLight"));
    }
  }

  @Test
  void servicesFromCrmWithFanOutServesEachBranchsCatalogueAndRoutesByCode() throws Exception {
    // Both branches' CRMs list Pothole and StreetLight; each branch publishes only its own codes.
    ConnectorConfig config = read("""
        store:
          h2_file: state
        jurisdictions:
          wells:
            open311:
              serve:
                listen_port: 0
                path: /open311/v2/wells/
                api_key: ${env:INBOUND_KEY}
                services_from_crm: true
        """ + MAPPING + """
            fan_out:
              - { prefix: hw, services: [POT], crm: { type: catalogued } }
              - { prefix: env, services: [LIGHT, BIN], crm: { type: catalogued } }
        """);
    try (Connector connector = Connector.open(config, registry, clock, "test");
         ConnectorRun run = ConnectorRun.start(connector, clock, fakeTime(), r -> { },
             Duration.ofSeconds(5))) {
      String wells = run.urls().get("wells");
      String services = get(wells + "services.xml");
      // BIN is env's but no CRM lists MissedBin; Graffiti maps to nothing: neither is served.
      assertThat(Pattern.compile("<service_code>([^<]+)</service_code>").matcher(services)
          .results().map(r -> r.group(1)).toList()).containsExactly("POT", "LIGHT");
      assertThat(services).contains("<service_name>Pothole in the road</service_name>");

      String light = group(ID, post(wells + "requests.xml", inWells(form("LIGHT", "81"))).body());
      assertThat(light).startsWith("env-");
      assertThat(((InMemoryCrm) connector.crm("wells/env").orElseThrow()).cases()).singleElement()
          .satisfies(k -> assertThat(k.caseType()).isEqualTo("StreetLight"));
      assertThat(((InMemoryCrm) connector.crm("wells/hw").orElseThrow()).cases()).isEmpty();
      assertThat(post(wells + "requests.xml", inWells(form("BIN", "82"))).statusCode())
          .isEqualTo(404);
    }
  }

  private static String inWells(String form) {
    return form.replace("jurisdiction_id=bristol", "jurisdiction_id=wells");
  }

  private static Service caseType(String code, String name) {
    return new Service(code, name, Optional.empty(), false, ServiceType.REALTIME, List.of(),
        List.of());
  }

  private static String form(String service, String fixMyStreetId) {
    return "api_key=k3y&jurisdiction_id=bristol&service_code=" + service
        + "&description=Reported&lat=51.45&long=-2.59&attribute%5Bfixmystreet_id%5D=" + fixMyStreetId;
  }

  private static final String MAPPING = """
          mapping:
            services: { POT: Pothole, LIGHT: StreetLight, BIN: MissedBin }
            statuses:
              crm_to_open311: { NEW: open, FIXED: fixed, CLOSED: closed }
              open311_to_crm: { fixed: FIXED, closed: CLOSED, reopen: NEW }
              closes_crm_case: [ fixed, closed ]
            timezones: { crm: Europe/London, open311: UTC }
      """;

  private static String yaml() {
    return """
        store:
          h2_file: state
        jurisdictions:
          bristol:
            open311:
              serve: { listen_port: 0, path: /open311/v2/bristol/, api_key: "${env:INBOUND_KEY}" }
        """ + MAPPING + """
            fan_out:
              - prefix: hw
                services: [POT, LIGHT]
                crm: { type: memory, settings: { closed_status_codes: [CLOSED, FIXED], closing_status_code: CLOSED } }
              - prefix: env
                services: [BIN]
                crm: { type: memory, settings: { closed_status_codes: [CLOSED, FIXED], closing_status_code: CLOSED } }
          bath:
            open311:
              serve:
                listen_port: 0
                path: /open311/v2/bath/
                api_key: ${env:INBOUND_KEY}
                services_from_crm: true
                services_refresh: 1m
            crm: { type: catalogued }
        """ + MAPPING;
  }

  private ConnectorConfig read(String yaml) throws Exception {
    Path file = dir.resolve("civicsync.yaml");
    Files.writeString(file, yaml);
    return ConfigFile.reader(SecretResolver.of(Map.of("INBOUND_KEY", "k3y")::get), registry, clock)
        .read(file);
  }

  private PollLoop.Pause fakeTime() {
    return (stop, timeout) -> {
      if (stop.await(10, TimeUnit.MILLISECONDS)) {
        return true;
      }
      clock.advance(timeout);
      return false;
    };
  }

  private HttpResponse<String> post(String url, String form) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build());
  }

  private String get(String url) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url)).build()).body();
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
