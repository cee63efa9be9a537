package org.civicsync.examples.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.core.sync.PassResult;
import org.civicsync.examples.config.ConfigFile;
import org.civicsync.examples.config.ConnectorConfig;
import org.civicsync.examples.config.OperationConfig;
import org.civicsync.examples.config.SecretResolver;
import org.civicsync.examples.connector.Connector;
import org.civicsync.examples.demo.Demo;
import org.civicsync.examples.demo.SimulatedFixMyStreet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperationEndpointTest {
  @TempDir
  Path dir;

  @Test
  void healthIsUpAndMetricsCountWhatAPassDidPerSystem() throws Exception {
    Clock clock = Clock.systemUTC();
    try (SimulatedFixMyStreet fms = SimulatedFixMyStreet.start(clock, "k")) {
      fms.report("POT", "Pothole", "1 Road", 51.0, -2.0);
      ConnectorConfig config = ConfigFile.reader(SecretResolver.of(Map.of(Demo.API_KEY_VARIABLE, "k")::get),
          CrmAdapterRegistry.installed(), clock).parse(Demo.configuration(fms.endpoint()), dir);
      try (Connector connector = Connector.open(config, CrmAdapterRegistry.installed(), clock, "test");
           OperationEndpoint endpoint = OperationEndpoint.start(connector,
               new OperationConfig("127.0.0.1", Optional.of(0)), clock)) {
        for (PassResult r : connector.engine().orElseThrow().runOnce()) {
          endpoint.passDone(r);
        }
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(
            URI.create(endpoint.baseUrl().orElseThrow() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
            URI.create(endpoint.baseUrl().orElseThrow() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
            .contains("civicsync_reports_synced_total{jurisdiction=\"bristol\"} 1.0")
            .contains("civicsync_outbox_items{jurisdiction=\"bristol\",state=\"dead\"} 0.0")
            .contains("civicsync_system_errors_total{system=\"open311:bristol\"} 0.0")
            .contains("civicsync_circuit_breaker_state{system=\"crm:bristol-memory\"} 0.0")
            .contains("civicsync_poll_lag_seconds{jurisdiction=\"bristol\"}")
            .containsPattern("civicsync_system_calls_total\\{system=\"crm:bristol-memory\"} [1-9]");
      }
    }
  }
}
