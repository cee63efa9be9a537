package org.civicsync.core.store;

import org.civicsync.core.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract on a real PostgreSQL server (embedded binaries, one server for the class, one fresh
 * database per test).
 */
class PostgresSyncStoreTest extends SyncStoreContractTest {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres server;

  private String database;

  @BeforeAll
  static void startServer() throws Exception {
    server = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  private String url() {
    return server.getJdbcUrl("postgres", database).replaceFirst("\\?.*$", "");
  }

  @Override
  SyncStore open(MutableClock clock) throws SQLException {
    database = "contract_" + DATABASES.incrementAndGet();
    try (Connection c = server.getPostgresDatabase().getConnection();
         Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
    return SyncStores.jdbc(url(), "postgres", "", clock);
  }

  @Override
  SyncStore openSecond(MutableClock clock) {
    return SyncStores.jdbc(url(), "postgres", "", clock);
  }

  @Override
  Connection rawConnection() throws SQLException {
    return server.getDatabase("postgres", database).getConnection();
  }

  @Override
  String explainPrefix() {
    return "EXPLAIN ";
  }

  @Override
  void assertWindowPlanUsesIndex(String plan) {
    // An index (only) scan on the window index, bounded by the condition; no Seq Scan, no Sort.
    assertThat(plan).containsPattern("Index (Only )?Scan using journal_window_ix")
        .contains("Index Cond").doesNotContain("Seq Scan").doesNotContain("Sort");
  }
}
