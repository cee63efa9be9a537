package org.civicsync.crm.jdbc;

import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** The JDBC adapter on H2, an in-memory database per test. */
class H2JdbcCrmContractTest extends JdbcCrmContractTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private String url;

  @Override
  DataSource database() {
    if (url == null) {
      url = "jdbc:h2:mem:crm" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    }
    return h2("council", "r1ght-pa55");
  }

  @Override
  DataSource databaseWithWrongPassword() {
    return h2("council", "wr0ng-pa55");
  }

  private DataSource h2(String user, String password) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL(url);
    ds.setUser(user);
    ds.setPassword(password);
    return ds;
  }
}
