package org.civicsync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import org.civicsync.examples.demo.SimulatedFixMyStreet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code store.postgresql} as an operator configures it, against a real PostgreSQL (zonky's
 * embedded server): {@code once} migrates the schema and syncs, {@code status} reads it back.
 */
class PostgresStoreTest {
  @TempDir
  Path dir;

  @Test
  void onceAndStatusWorkOnAPostgreSqlStore() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
         SimulatedFixMyStreet fms = SimulatedFixMyStreet.start(Clock.systemUTC(), "unused")) {
      try (Connection c = postgres.getPostgresDatabase().getConnection();
           Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE civicsync");
      }
      String url = postgres.getJdbcUrl("postgres", "civicsync").replaceFirst("\\?.*$", "");
      fms.report("POT", "Pothole", "1 Corn Street", 51.45, -2.59);
      fms.report("POT", "Another pothole", "2 Corn Street", 51.45, -2.59);
      Path password = dir.resolve("db-password");
      Files.writeString(password, "not-checked-by-the-embedded-server\n");
      Path file = dir.resolve("town.yaml");
      Files.writeString(file, """
          store:
            postgresql: { url: "%s", user: postgres, password: "${file:%s}" }
          jurisdictions:
            town:
              open311:
                poll: { endpoint: "%s", reads_updates: false, posts_updates: false, every: 1m }
              crm: { type: memory }
              mapping:
                services: { POT: Pothole }
                statuses: { crm_to_open311: { NEW: open, CLOSED: closed } }
                timezones: { crm: UTC, open311: UTC }
              sync: { backfill_from: 2h }   # under a day: one window, each report read once
          """.formatted(url, password, fms.endpoint()));

      DeadLettersCommandTest.Run once = DeadLettersCommandTest.civicsync("once", "--config", file.toString());

      assertThat(once.exit()).as(once.err()).isZero();
      assertThat(once.out()).contains("town: 2 requests read, 2 new, 2 CRM cases created", "0 failed");
      assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
          .as("no H2 file was made").noneMatch(name -> name.endsWith(".mv.db"));

      DeadLettersCommandTest.Run status = DeadLettersCommandTest.civicsync("status", "--config", file.toString());

      assertThat(status.exit()).as(status.err()).isZero();
      assertThat(status.out()).contains("town:", "links:  2 open, 0 complete",
          "outbox: 0 pending, 0 in flight, 0 unknown, 0 dead, 2 done", "last successful poll: ")
          .doesNotContain("not-checked-by-the-embedded-server");
      try (Connection c = postgres.getDatabase("postgres", "civicsync").getConnection();
           Statement s = c.createStatement();
           java.sql.ResultSet rows = s.executeQuery("SELECT count(*) FROM link")) {
        rows.next();
        assertThat(rows.getInt(1)).isEqualTo(2);
      }
    }
  }
}
