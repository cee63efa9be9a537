package org.civicsync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.examples.config.ConfigFile;
import org.civicsync.examples.config.ConnectorConfig;
import org.civicsync.examples.config.SecretResolver;
import org.civicsync.examples.connector.Connector;
import org.civicsync.examples.demo.SimulatedFixMyStreet;
import org.civicsync.examples.operation.HealthStalenessTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status} measures lag from the last successful poll, so a quiet endpoint is not lagging. */
class StatusCommandTest {
  @TempDir
  Path dir;

  @Test
  void lagIsSinceTheLastSuccessfulPollEvenWhenNothingNewWasRead() throws Exception {
    HealthStalenessTest.ManualClock clock = new HealthStalenessTest.ManualClock();
    try (SimulatedFixMyStreet fms = SimulatedFixMyStreet.start(Clock.systemUTC(), "k")) {
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
              """.formatted(fms.endpoint()), dir);
      try (Connector connector = Connector.open(config, CrmAdapterRegistry.installed(), clock, "test")) {
        connector.engine().orElseThrow().runOnce();
        clock.now = clock.now.plus(Duration.ofMinutes(10));
        connector.engine().orElseThrow().runOnce(); // quiet: nothing new anywhere
        StringWriter out = new StringWriter();

        StatusCommand.print(new PrintWriter(out, true), connector.store(), "bristol",
            clock.now.plusSeconds(5));

        assertThat(out.toString())
            .contains("links:  1 open, 0 complete")
            .containsPattern("open311-requests: last recorded \\S+ \\(10 min ago\\)")
            .contains("last successful poll: " + clock.now + " (5 s ago)")
            .contains("lag:    5 s since the last successful poll");
      }
    }
  }
}
