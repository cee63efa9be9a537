package org.civicsync.examples.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.examples.config.ConfigFile;
import org.civicsync.examples.config.ConnectorConfig;
import org.civicsync.examples.config.SecretResolver;
import org.civicsync.examples.demo.Demo;
import org.civicsync.examples.demo.SimulatedFixMyStreet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PollLoopTest {
  @TempDir
  Path dir;

  /** A clock the pause moves forward, so the loop's schedule runs without sleeping. */
  private static final class ManualClock extends Clock {
    Instant now = Instant.now();

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
  void passesRunOnTheirIntervalAndStopLetsThePassInProgressFinish() throws Exception {
    ManualClock clock = new ManualClock();
    try (SimulatedFixMyStreet fms = SimulatedFixMyStreet.start(Clock.systemUTC(), "k")) {
      ConnectorConfig config = ConfigFile.reader(SecretResolver.of(Map.of(Demo.API_KEY_VARIABLE, "k")::get),
          CrmAdapterRegistry.installed(), clock).parse(Demo.configuration(fms.endpoint()), dir);
      try (Connector connector = Connector.open(config, CrmAdapterRegistry.installed(), clock, "test")) {
        List<Duration> waits = new ArrayList<>();
        List<Instant> passes = new ArrayList<>();
        PollLoop[] loop = new PollLoop[1];
        loop[0] = new PollLoop(connector.engine().orElseThrow(), Map.of("bristol", Duration.ofSeconds(60)),
            clock, (stop, timeout) -> {
              waits.add(timeout);
              clock.now = clock.now.plus(timeout);
              return stop.getCount() == 0;
            }, result -> {
              passes.add(clock.instant());
              if (passes.size() == 3) {
                loop[0].stop(); // asked during the third pass: it finishes, no fourth starts
              }
            });

        loop[0].run();

        assertThat(passes).hasSize(3);
        assertThat(Duration.between(passes.get(0), passes.get(2))).isEqualTo(Duration.ofSeconds(120));
        assertThat(waits).containsExactly(Duration.ofSeconds(60), Duration.ofSeconds(60));
        assertThat(loop[0].awaitFinished(Duration.ZERO)).isTrue();
      }
    }
  }
}
