package org.civicsync.core.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Reads and writes the column types the schema uses, the same way on H2 and PostgreSQL. Instants
 * go in as UTC {@link OffsetDateTime} truncated to microseconds, the precision both keep, so what
 * is read back equals what was written.
 */
final class Columns {

  private Columns() {
  }

  static Instant micros(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS);
  }

  static void setInstant(PreparedStatement statement, int index, Instant instant)
      throws SQLException {
    statement.setObject(index, OffsetDateTime.ofInstant(micros(instant), ZoneOffset.UTC));
  }

  static void setOptionalInstant(PreparedStatement statement, int index, Optional<Instant> instant)
      throws SQLException {
    if (instant.isPresent()) {
      setInstant(statement, index, instant.get());
    } else {
      statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    }
  }

  static void setOptional(PreparedStatement statement, int index, Optional<String> value)
      throws SQLException {
    statement.setString(index, value.orElse(null));
  }

  static Instant instant(ResultSet rows, String column) throws SQLException {
    OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  static Optional<Instant> optionalInstant(ResultSet rows, String column) throws SQLException {
    return Optional.ofNullable(instant(rows, column));
  }

  static Optional<String> optional(ResultSet rows, String column) throws SQLException {
    return Optional.ofNullable(rows.getString(column));
  }

  static int checkLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    return limit;
  }

  /** Shortens free text (error messages) to what the column holds. */
  static String clip(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max);
  }
}
