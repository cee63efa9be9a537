package org.civicsync.core.store;

import static org.civicsync.core.store.Columns.setInstant;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;

/** {@link Seen} over the {@code seen} table. */
final class JdbcSeen implements Seen {

  private final Scope scope;

  JdbcSeen(Scope scope) {
    this.scope = scope;
  }

  @Override
  public void record(String jurisdiction, Side side, String key) {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    Objects.requireNonNull(side, "side == null");
    Objects.requireNonNull(key, "key == null");
    String insert = "INSERT INTO seen (jurisdiction, side, seen_key, recorded_at)"
        + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
    String refresh = "UPDATE seen SET recorded_at = ?"
        + " WHERE jurisdiction = ? AND side = ? AND seen_key = ?";
    scope.run("seen.record", jurisdiction + "/" + side + "/" + key, c -> {
      Instant now = scope.now();
      try (PreparedStatement statement = c.prepareStatement(insert)) {
        statement.setString(1, jurisdiction);
        statement.setString(2, side.name());
        statement.setString(3, key);
        setInstant(statement, 4, now);
        if (statement.executeUpdate() == 1) {
          return null;
        }
      }
      try (PreparedStatement statement = c.prepareStatement(refresh)) {
        setInstant(statement, 1, now);
        statement.setString(2, jurisdiction);
        statement.setString(3, side.name());
        statement.setString(4, key);
        statement.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public boolean contains(String jurisdiction, Side side, String key) {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    Objects.requireNonNull(side, "side == null");
    Objects.requireNonNull(key, "key == null");
    String sql = "SELECT 1 FROM seen WHERE jurisdiction = ? AND side = ? AND seen_key = ?";
    return scope.run("seen.contains", jurisdiction + "/" + side + "/" + key, c -> {
      try (PreparedStatement select = c.prepareStatement(sql)) {
        select.setString(1, jurisdiction);
        select.setString(2, side.name());
        select.setString(3, key);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next();
        }
      }
    });
  }

  @Override
  public int pruneBefore(Instant before) {
    Objects.requireNonNull(before, "before == null");
    String sql = "DELETE FROM seen WHERE recorded_at < ?";
    return scope.run("seen.pruneBefore", before, c -> {
      try (PreparedStatement delete = c.prepareStatement(sql)) {
        setInstant(delete, 1, before);
        return delete.executeUpdate();
      }
    });
  }
}
