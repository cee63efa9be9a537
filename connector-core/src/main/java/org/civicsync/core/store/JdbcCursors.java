package org.civicsync.core.store;

import static org.civicsync.core.store.Columns.instant;
import static org.civicsync.core.store.Columns.setInstant;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** {@link Cursors} over the {@code sync_cursor} table. */
final class JdbcCursors implements Cursors {

  private final Scope scope;

  JdbcCursors(Scope scope) {
    this.scope = scope;
  }

  @Override
  public Optional<StoredCursor> get(String source) {
    Objects.requireNonNull(source, "source == null");
    String sql = "SELECT cursor_value, updated_at FROM sync_cursor WHERE source_name = ?";
    return scope.run("cursor.get", source, c -> {
      try (PreparedStatement select = c.prepareStatement(sql)) {
        select.setString(1, source);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next()
              ? Optional.of(new StoredCursor(source, rows.getString(1), instant(rows, "updated_at")))
              : Optional.empty();
        }
      }
    });
  }

  @Override
  public void put(String source, String value) {
    Objects.requireNonNull(source, "source == null");
    Objects.requireNonNull(value, "value == null");
    String update = "UPDATE sync_cursor SET cursor_value = ?, updated_at = ? WHERE source_name = ?";
    String insert = "INSERT INTO sync_cursor (source_name, cursor_value, updated_at)"
        + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
    scope.run("cursor.put", source, c -> {
      Instant now = scope.now();
      // Update first (the common case); insert when absent; if a racing insert won, update it.
      for (int round = 0; round < 2; round++) {
        try (PreparedStatement statement = c.prepareStatement(update)) {
          statement.setString(1, value);
          setInstant(statement, 2, now);
          statement.setString(3, source);
          if (statement.executeUpdate() == 1) {
            return null;
          }
        }
        try (PreparedStatement statement = c.prepareStatement(insert)) {
          statement.setString(1, source);
          statement.setString(2, value);
          setInstant(statement, 3, now);
          if (statement.executeUpdate() == 1) {
            return null;
          }
        }
      }
      throw new SyncStoreException("cursor.put", source, "neither updated nor inserted");
    });
  }
}
