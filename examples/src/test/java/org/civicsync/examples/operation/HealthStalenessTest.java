package org.civicsync.examples.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.core.sync.PassResult;
import org.civicsync.examples.config.ConfigFile;
import org.civicsync.examples.config.ConnectorConfig;
import org.civicsync.examples.config.OperationConfig;
import org.civicsync.examples.config.SecretResolver;
import org.civicsync.examples.connector.Connector;
import org.civicsync.examples.demo.SimulatedFixMyStreet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /health} goes DOWN, naming the jurisdiction and why, when a polling jurisdiction has had
 * no successful poll for more than {@code stale_after_intervals} times its {@code every}; a quiet
 * endpoint, polled successfully with nothing new, stays UP.
 */
public class HealthStalenessTest {
  @TempDir
  Path dir;

  /** The engine's and the store's clock, moved by the test. */
  public static final class ManualClock extends Clock {
    public Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void healthIsDownWithTheReasonAfterThreeIntervalsWithoutASuccessfulPollAndAQuietEndpointIsUp()
      throws Exception {
    ManualClock clock = new ManualClock();
    SimulatedFixMyStreet fms = SimulatedFixMyStreet.start(Clock.systemUTC(), "k");
    fms.report("POT", "Pothole", "1 Road", 51.0, -2.0);
    ConnectorConfig config = ConfigFile.reader(SecretResolver.of(Map.<String, String>of()::get),
        CrmAdapterRegistry.installed(), clock).parse("""
            store: { h2_file: state }
            jurisdictions:
              bristol:
                open311:
                  poll: { endpoint: "%s", reads_updates: true, posts_updates: false, every: 60s }
                crm: { type: memory }
                mapping:
                  services: { POT: Pothole }
                  statuses: { crm_to_open311: { NEW: open, CLOSED: closed } }
                  timezones: { crm: UTC, open311: UTC }
                sync: { backfill_from: 1h }
                resilience: { open311: { max_attempts: 1 } }
            """.formatted(fms.endpoint()), dir);
    try (Connector connector = Connector.open(config, CrmAdapterRegistry.installed(), clock, "test");
         OperationEndpoint endpoint = OperationEndpoint.start(connector,
             new OperationConfig("127.0.0.1", Optional.of(0), 3), clock)) {
      assertThat(endpoint.health().up()).as("just started: no poll is due yet").isTrue();
      pass(connector, endpoint);

      clock.now = clock.now.plus(Duration.ofMinutes(10));
      pass(connector, endpoint); // a quiet endpoint: nothing new, but read successfully
      OperationEndpoint.Health quiet = endpoint.health();
      assertThat(quiet.up()).as(quiet.json()).isTrue();
      assertThat(quiet.json()).contains("\"bristol\":{\"status\":\"UP\"", "\"seconds_since\":0",
          "\"allowed_seconds\":180");
      Instant lastGood = clock.now;

      fms.close(); // FixMyStreet goes away: every poll fails from now on
      clock.now = clock.now.plus(Duration.ofMinutes(2));
      pass(connector, endpoint);
      assertThat(endpoint.health().up()).as("2 min without success: within 3 x 60 s").isTrue();
      clock.now = clock.now.plus(Duration.ofMinutes(2));
      pass(connector, endpoint);

      HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create(endpoint.baseUrl().orElseThrow() + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).contains("\"status\":\"DOWN\"", "\"store\":\"UP\"",
          "\"bristol\":{\"status\":\"DOWN\"", "\"last_successful_poll\":\"" + lastGood + "\"",
          "\"seconds_since\":240", "no successful poll for 4 min", "more than the 3 min allowed");
      assertThat(endpoint.scrape()).contains("civicsync_poll_lag_seconds{jurisdiction=\"bristol\"} 240.0");
    }
  }

  private static void pass(Connector connector, OperationEndpoint endpoint) {
    for (PassResult r : connector.engine().orElseThrow().runOnce()) {
      endpoint.passDone(r);
    }
  }
}
