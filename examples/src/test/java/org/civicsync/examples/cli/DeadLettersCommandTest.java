package org.civicsync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.civicsync.core.crm.memory.InMemoryCrm;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.core.store.OutboxItem;
import org.civicsync.core.store.OutboxState;
import org.civicsync.core.store.SyncStore;
import org.civicsync.examples.config.ConfigFile;
import org.civicsync.examples.config.ConnectorConfig;
import org.civicsync.examples.config.SecretResolver;
import org.civicsync.examples.connector.Connector;
import org.civicsync.examples.demo.SimulatedFixMyStreet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code dead-letters list} and {@code replay} on a real DEAD item: a create the CRM refused
 * (a refusal goes DEAD at once), listed with its error, replayed to PENDING, then worked.
 */
class DeadLettersCommandTest {
  @TempDir
  Path dir;

  record Run(int exit, String out, String err) {}

  static Run civicsync(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new CivicSyncCommand()).setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err)).execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void aRefusedCreateIsListedWithItsErrorAndReplayedToPending() throws Exception {
    try (SimulatedFixMyStreet fms = SimulatedFixMyStreet.start(Clock.systemUTC(), "unused")) {
      String id = fms.report("POT", "Pothole", "1 Corn Street", 51.45, -2.59);
      Path file = dir.resolve("town.yaml");
      Files.writeString(file, """
          store: { h2_file: state }
          jurisdictions:
            town:
              open311:
                poll: { endpoint: "%s", reads_updates: false, posts_updates: false, every: 1m }
              crm: { type: memory }
              mapping:
                services: { POT: Pothole }
                statuses: { crm_to_open311: { NEW: open, CLOSED: closed } }
                timezones: { crm: UTC, open311: UTC }
              sync: { backfill_from: 1d }
          """.formatted(fms.endpoint()));
      ConnectorConfig config = ConfigFile.reader(SecretResolver.of(Map.<String, String>of()::get),
          CrmAdapterRegistry.installed(), Clock.systemUTC()).read(file);
      try (Connector connector = Connector.open(config, CrmAdapterRegistry.installed(),
          Clock.systemUTC(), "test")) {
        InMemoryCrm crm = (InMemoryCrm) connector.crm("town").orElseThrow();
        crm.faults().failNext(CrmOperation.CREATE_CASE, 1, CrmException.Kind.PERMANENT);
        assertThat(connector.engine().orElseThrow().runOnce("town").workFailed()).isEqualTo(1);
      }
      Run none = civicsync("dead-letters", "list", "--config", file.toString(), "--jurisdiction", "elsewhere");
      assertThat(none.exit()).as(none.err()).isZero();

      Run list = civicsync("dead-letters", "list", "--config", file.toString());

      assertThat(list.exit()).as(list.err()).isEqualTo(1);
      assertThat(list.out()).contains("town: 1 dead")
          .containsPattern("id (\\d+)  CREATE_CASE  create:" + id + "  attempts 1  last error: .*PERMANENT");
      long itemId = Long.parseLong(list.out().replaceAll("(?s).*  id (\\d+)  CREATE_CASE.*", "$1"));

      Run replay = civicsync("dead-letters", "replay", "--config", file.toString(), "--id", Long.toString(itemId));

      assertThat(replay.exit()).as(replay.err()).isZero();
      assertThat(replay.out()).contains("work item " + itemId + " is pending again");
      try (SyncStore store = config.store().open(Clock.systemUTC())) {
        assertThat(store.outbox().listDead("town")).isEmpty();
        assertThat(store.outbox().counts("town").get(OutboxState.PENDING)).isEqualTo(1);
      }
      Run again = civicsync("dead-letters", "replay", "--config", file.toString(), "--id", Long.toString(itemId));
      assertThat(again.exit()).isEqualTo(1);
      assertThat(again.err()).contains("is not DEAD");

      Run once = civicsync("once", "--config", file.toString());
      assertThat(once.exit()).as(once.err()).isZero();
      // The replayed create is worked (the feeds stay with the node that holds their lease).
      assertThat(once.out()).contains(" 0 new, 1 CRM cases created", "0 failed");
      Run after = civicsync("dead-letters", "list", "--config", file.toString());
      assertThat(after.exit()).isZero();
      assertThat(after.out()).contains("town: 0 dead");
    }
  }
}
