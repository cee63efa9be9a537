package org.civicsync.crm.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;

/**
 * A data source that can fail once the way a database does: refuse the next connection
 * (server down: SQLSTATE 08001), or lose the connection right after a commit was sent (08006),
 * so the caller cannot know whether it happened.
 */
final class FaultyDataSource {
  enum Fault { NONE, REFUSE_NEXT_CONNECTION, LOSE_NEXT_COMMIT }

  private final DataSource real;
  private volatile Fault next = Fault.NONE;

  FaultyDataSource(DataSource real) {
    this.real = real;
  }

  void failNext(Fault fault) {
    next = fault;
  }

  DataSource dataSource() {
    InvocationHandler handler = (proxy, method, args) -> {
      if (method.getName().equals("getConnection")) {
        if (next == Fault.REFUSE_NEXT_CONNECTION) {
          next = Fault.NONE;
          throw new SQLTransientConnectionException("Connection refused", "08001");
        }
        return connection((Connection) invoke(method, real, args));
      }
      return invoke(method, real, args);
    };
    return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {DataSource.class}, handler);
  }

  private Connection connection(Connection real) {
    boolean[] wroteSomething = {false};
    InvocationHandler handler = (proxy, method, args) -> {
      Object result = invoke(method, real, args);
      boolean commitPoint = method.getName().equals("commit")
          || (method.getName().equals("prepareStatement") && real.getAutoCommit()
              && String.valueOf(args[0]).startsWith("INSERT"));
      if (commitPoint && next == Fault.LOSE_NEXT_COMMIT) {
        wroteSomething[0] = true;
      }
      if (method.getName().equals("close") && wroteSomething[0] && next == Fault.LOSE_NEXT_COMMIT) {
        next = Fault.NONE;
        throw new SQLException("An I/O error occurred while sending to the backend.", "08006");
      }
      return result;
    };
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Connection.class}, handler);
  }

  private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
