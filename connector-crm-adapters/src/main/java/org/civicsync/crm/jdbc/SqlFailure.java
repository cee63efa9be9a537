package org.civicsync.crm.jdbc;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientException;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmOperation;

/**
 * Turns a {@link SQLException} into a {@link CrmException} by its SQLSTATE class, which H2,
 * PostgreSQL and most drivers fill in: {@code 28} refused credentials, {@code 08} a lost or
 * refused connection, {@code 40} a deadlock or serialisation failure, {@code 53}/{@code 57}
 * resources or an administrator's shutdown, {@code 42} a wrong table or column name.
 */
final class SqlFailure {
  private SqlFailure() {}

  static CrmException of(SQLException e, boolean write, String system, CrmOperation operation,
      java.util.function.UnaryOperator<CrmException.Builder> subject) {
    String state = state(e);
    String clazz = state.length() >= 2 ? state.substring(0, 2) : "";
    CrmException.Kind kind;
    String hint = "";
    if (clazz.equals("28")) {
      kind = CrmException.Kind.AUTHENTICATION;
      hint = " (the database refused the user or password)";
    } else if (clazz.equals("42")) {
      kind = CrmException.Kind.PERMANENT;
      hint = " (a configured table or column does not exist, or the user may not use it)";
    } else if (e instanceof SQLTimeoutException || clazz.equals("08") || clazz.equals("57")) {
      // The statement or its commit may have reached the database before the answer was lost.
      kind = write ? CrmException.Kind.OUTCOME_UNKNOWN : CrmException.Kind.TRANSIENT;
    } else if (e instanceof SQLTransientException || clazz.equals("40") || clazz.equals("53")) {
      kind = CrmException.Kind.TRANSIENT;
    } else {
      kind = CrmException.Kind.PERMANENT;
    }
    // The driver's message names tables and columns, not values: values are bound parameters.
    return subject.apply(CrmException.of(kind, system, operation))
        .detail("SQLSTATE " + (state.isEmpty() ? "?" : state) + hint + ": "
            + e.getClass().getSimpleName())
        .cause(e).build();
  }

  /** The first SQLSTATE down the cause chain: a pool wraps the driver's refusal. */
  static String state(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null
          && !sql.getSQLState().isEmpty() && !(t instanceof java.sql.SQLTransientConnectionException
              && t.getCause() instanceof SQLException)) {
        return sql.getSQLState();
      }
    }
    return "";
  }

  static boolean uniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState()) || "23001".equals(e.getSQLState());
  }
}
