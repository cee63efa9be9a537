package org.civicsync.examples.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.civicsync.examples.connector.Answers.eventually;
import static org.civicsync.examples.connector.Answers.group;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.civicsync.core.crm.memory.InMemoryCrm;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.core.sync.PassResult;
import org.civicsync.core.testing.MutableClock;
import org.civicsync.examples.config.ConfigFile;
import org.civicsync.examples.config.ConnectorConfig;
import org.civicsync.examples.config.SecretResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run}'s serve mode in process: the connector started from a YAML file with two serving
 * jurisdictions on one free loopback port (one realtime, one queued), FixMyStreet's form POSTed
 * over HTTP, the background work scheduled by the loop on an injected clock.
 */
class ConnectorRunServeTest {
  private static final Pattern ID = Pattern.compile("<service_request_id>([^<]+)</service_request_id>");
  private static final Pattern TOKEN = Pattern.compile("<token>([^<]+)</token>");

  @TempDir Path dir;

  /** Starts at the real time: the in-memory CRM made from the configuration keeps the system clock. */
  private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void servesFromTheConfigurationCreatesCasesOnceAndWorksTheQueueOnSchedule() throws Exception {
    ConnectorConfig config = read(yaml());
    List<PassResult> passes = new java.util.concurrent.CopyOnWriteArrayList<>();
    String services;
    try (Connector connector = Connector.open(config, CrmAdapterRegistry.installed(), clock, "test");
         ConnectorRun run = ConnectorRun.start(connector, clock, fakeTime(), passes::add,
             Duration.ofSeconds(5))) {
      assertThat(run.schedule()).containsEntry("bristol", Duration.ofSeconds(2))
          .containsEntry("bath", Duration.ofSeconds(5));
      String bristol = run.urls().get("bristol");
      String bath = run.urls().get("bath");
      assertThat(bristol).matches("http://127\\.0\\.0\\.1:[1-9][0-9]*/open311/v2/bristol/");
      assertThat(URI.create(bath).getPort()).isEqualTo(URI.create(bristol).getPort());
      services = bristol + "services.xml";
      assertThat(get(services)).contains("<service_code>POT</service_code>");
      Thread loop = new Thread(run::run, "loop");
      loop.start();

      // Realtime: the case exists before FixMyStreet is answered; a resend answers the same id.
      String form = "api_key=k3y&jurisdiction_id=bristol&service_code=POT&description=Deep+hole"
          + "&lat=51.45&long=-2.59&attribute%5Bfixmystreet_id%5D=4242";
      HttpResponse<String> first = post(bristol + "requests.xml", form);
      assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
      String crmId = group(ID, first.body());
      InMemoryCrm bristolCrm = (InMemoryCrm) connector.crm("bristol").orElseThrow();
      assertThat(bristolCrm.cases()).singleElement()
          .satisfies(k -> assertThat(k.caseId()).isEqualTo(crmId))
          .satisfies(k -> assertThat(k.caseType()).isEqualTo("Pothole"));
      HttpResponse<String> again = post(bristol + "requests.xml", form);
      assertThat(group(ID, again.body())).isEqualTo(crmId);
      assertThat(bristolCrm.cases()).hasSize(1);
      assertThat(post(bristol + "requests.xml", form.replace("k3y", "wrong")).statusCode())
          .isEqualTo(403);

      // The officer closes it; the scheduled background work puts it in the updates feed.
      bristolCrm.officer().close(crmId, "FIXED");
      String feed = bristol + "servicerequestupdates.xml?jurisdiction_id=bristol&api_key=k3y"
          + "&start_date=" + clock.instant().minus(Duration.ofHours(1))
          + "&end_date=" + clock.instant().plus(Duration.ofDays(1));
      assertThat(eventually(() -> Optional.of(get(feed)).filter(b -> b.contains("<status>fixed</status>"))))
          .contains("<service_request_id>" + crmId + "</service_request_id>")
          .contains("<fixmystreet_id>4242</fixmystreet_id>");

      // Queued, on the same port under its own path: a token now, the case from the loop's work.
      String queuedForm = "api_key=k3y&jurisdiction_id=bath&service_code=LIGHT&description=Dark"
          + "&lat=51.38&long=-2.36&attribute%5Bfixmystreet_id%5D=77";
      String token = group(TOKEN, post(bath + "requests.xml", queuedForm).body());
      String bathId = eventually(() -> {
        Matcher m = ID.matcher(get(bath + "tokens/" + token + ".xml?jurisdiction_id=bath"));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
      });
      InMemoryCrm bathCrm = (InMemoryCrm) connector.crm("bath").orElseThrow();
      assertThat(bathCrm.cases()).singleElement()
          .satisfies(k -> assertThat(k.caseId()).isEqualTo(bathId));
      // A resend once the case exists answers its id, and creates nothing.
      assertThat(group(ID, post(bath + "requests.xml", queuedForm).body())).isEqualTo(bathId);
      assertThat(bathCrm.cases()).hasSize(1);
      // Receipts waiting in the H2 file's receipt log are metered per served jurisdiction;
      // bath's one was drained when its token named the case.
      io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
          new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
      new org.civicsync.examples.operation.ConnectorMetrics(meters, connector, clock);
      assertThat(meters.get("civicsync.serve.receipts.pending").tag("jurisdiction", "bath")
          .gauge().value()).isZero();
      assertThat(passes).extracting(PassResult::jurisdiction).contains("bristol", "bath");

      run.stop();
      assertThat(run.awaitFinished(Duration.ofSeconds(10))).isTrue();
      loop.join(TimeUnit.SECONDS.toMillis(10));
    }
    assertThatThrownBy(() -> get(services)).as("Jetty stopped with the run")
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void aJurisdictionThatBothPollsAndServesIsRefused() throws Exception {
    String yaml = yaml().replace("    open311:\n      serve:\n        listen_host: 127.0.0.1\n"
        + "        listen_port: 0\n        path: /open311/v2/bristol/\n",
        "    open311:\n      poll: { endpoint: \"http://127.0.0.1:9/open311/v2/\", every: 60s }\n"
        + "      serve:\n        listen_host: 127.0.0.1\n"
        + "        listen_port: 0\n        path: /open311/v2/bristol/\n");
    assertThat(yaml).contains("poll:");
    ConnectorConfig config = read(yaml);
    try (Connector connector = Connector.open(config, CrmAdapterRegistry.installed(), clock, "test")) {
      assertThatThrownBy(() -> ConnectorRun.start(connector, clock, fakeTime(), r -> { },
          Duration.ofSeconds(1)))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("bristol both polls and serves");
    }
  }

  private String yaml() {
    return """
        store:
          h2_file: state
        jurisdictions:
        """ + jurisdiction("bristol", "      path: /open311/v2/bristol/\n")
        + jurisdiction("bath", "      path: /open311/v2/bath/\n      queued: true\n      every: 5s\n");
  }

  private static String jurisdiction(String id, String serveExtra) {
    return ("  " + id + ":\n"
        + "    open311:\n"
        + "      serve:\n"
        + "        listen_host: 127.0.0.1\n"
        + "        listen_port: 0\n"
        + serveExtra.replace("      ", "        ")
        + "        api_key: ${env:INBOUND_KEY}\n"
        + "    crm:\n"
        + "      type: memory\n"
        + "      settings: { closed_status_codes: [CLOSED, FIXED], closing_status_code: CLOSED }\n"
        + "    mapping:\n"
        + "      services: { POT: Pothole, LIGHT: StreetLight }\n"
        + "      statuses:\n"
        + "        crm_to_open311: { NEW: open, FIXED: fixed, CLOSED: closed }\n"
        + "        open311_to_crm: { fixed: FIXED, closed: CLOSED, reopen: NEW }\n"
        + "        closes_crm_case: [ fixed, closed ]\n"
        + "      timezones: { crm: Europe/London, open311: UTC }\n");
  }

  private ConnectorConfig read(String yaml) throws Exception {
    Path file = dir.resolve("civicsync.yaml");
    Files.writeString(file, yaml);
    return ConfigFile.reader(SecretResolver.of(Map.of("INBOUND_KEY", "k3y")::get),
        CrmAdapterRegistry.installed(), clock).read(file);
  }

  /** Each wait of the loop moves the injected clock on by what it asked for, after 10 ms real. */
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
    return http.send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private String get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
