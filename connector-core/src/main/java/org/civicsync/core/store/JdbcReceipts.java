package org.civicsync.core.store;

import static org.civicsync.core.store.Columns.checkLimit;
import static org.civicsync.core.store.Columns.instant;
import static org.civicsync.core.store.Columns.optional;
import static org.civicsync.core.store.Columns.setOptional;
import static org.civicsync.core.store.Columns.setInstant;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link Receipts} over the {@code receipt} table. */
final class JdbcReceipts implements Receipts {

  private static final String COLUMNS = "id, jurisdiction, receipt_key, report_version,"
      + " fixmystreet_id, payload, received_at";

  private final Scope scope;

  JdbcReceipts(Scope scope) {
    this.scope = scope;
  }

  @Override
  public boolean insertIfAbsent(String jurisdiction, String key, String version,
      Optional<String> fixMyStreetId, String payload) {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(version, "version == null");
    Objects.requireNonNull(fixMyStreetId, "fixMyStreetId == null");
    Objects.requireNonNull(payload, "payload == null");
    String sql = "INSERT INTO receipt (jurisdiction, receipt_key, report_version, fixmystreet_id,"
        + " payload, received_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    return scope.run("receipt.insertIfAbsent", jurisdiction + "/" + key, connection -> {
      try (PreparedStatement insert = connection.prepareStatement(sql)) {
        insert.setString(1, jurisdiction);
        insert.setString(2, key);
        insert.setString(3, version);
        setOptional(insert, 4, fixMyStreetId);
        insert.setString(5, payload);
        setInstant(insert, 6, scope.now());
        return insert.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Optional<Receipt> find(String jurisdiction, String key) {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    Objects.requireNonNull(key, "key == null");
    String sql = "SELECT " + COLUMNS + " FROM receipt WHERE jurisdiction = ? AND receipt_key = ?";
    return scope.run("receipt.find", jurisdiction + "/" + key, connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        select.setString(1, jurisdiction);
        select.setString(2, key);
        List<Receipt> found = readAll(select);
        return found.isEmpty() ? Optional.<Receipt>empty() : Optional.of(found.get(0));
      }
    });
  }

  @Override
  public List<Receipt> oldest(String jurisdiction, int limit) {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    checkLimit(limit);
    // By the primary key alone: few receipts are pending at any time (the drainer deletes them),
    // so filtering the jurisdiction on the way is cheaper than a third B-tree on every insert.
    String sql = "SELECT " + COLUMNS + " FROM receipt WHERE jurisdiction = ? ORDER BY id LIMIT ?";
    return scope.run("receipt.oldest", jurisdiction, connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        select.setString(1, jurisdiction);
        select.setInt(2, limit);
        return readAll(select);
      }
    });
  }

  @Override
  public boolean delete(long id) {
    return scope.run("receipt.delete", id, connection -> {
      try (PreparedStatement delete =
          connection.prepareStatement("DELETE FROM receipt WHERE id = ?")) {
        delete.setLong(1, id);
        return delete.executeUpdate() == 1;
      }
    });
  }

  private static List<Receipt> readAll(PreparedStatement select) throws SQLException {
    try (ResultSet rows = select.executeQuery()) {
      List<Receipt> receipts = new ArrayList<>();
      while (rows.next()) {
        receipts.add(new Receipt(rows.getLong("id"), rows.getString("jurisdiction"),
            rows.getString("receipt_key"), rows.getString("report_version"),
            optional(rows, "fixmystreet_id"), rows.getString("payload"),
            instant(rows, "received_at")));
      }
      return Collections.unmodifiableList(receipts);
    }
  }
}
