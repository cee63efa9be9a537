package org.civicsync.crm.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The JDBC adapter on a real PostgreSQL server (embedded binaries, one server for the class, a
 * fresh database per test), logging in as the role that owns the CRM's tables.
 */
class PostgresJdbcCrmContractTest extends JdbcCrmContractTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres server;
  private String database;

  @BeforeAll
  static void startServer() throws Exception {
    server = EmbeddedPostgres.builder().start();
    try (Connection c = server.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE ROLE council LOGIN PASSWORD 'r1ght-pa55'");
    }
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Override
  DataSource database() throws SQLException {
    if (database == null) {
      database = "crm" + DATABASES.incrementAndGet();
      try (Connection c = server.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + database + " OWNER council");
      }
    }
    return pg("r1ght-pa55");
  }

  /**
   * The embedded server trusts local connections (its pg_hba.conf), so a wrong password alone is
   * not refused there; a login name the server does not know is, with SQLSTATE 28000.
   */
  @Override
  DataSource databaseWithWrongPassword() {
    return pg("civicsync_unknown", "wr0ng-pa55");
  }

  private DataSource pg(String password) {
    return pg("council", password);
  }

  private DataSource pg(String user, String password) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"localhost"});
    ds.setPortNumbers(new int[] {server.getPort()});
    ds.setDatabaseName(database);
    ds.setUser(user);
    ds.setPassword(password);
    return ds;
  }
}
