package org.civicsync.core.store;

import static org.civicsync.core.store.Columns.checkLimit;
import static org.civicsync.core.store.Columns.instant;
import static org.civicsync.core.store.Columns.setInstant;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** {@link Journal} over the {@code journal} table. */
final class JdbcJournal implements Journal {

  private static final String COLUMNS =
      "seq, jurisdiction, target_side, update_id, link_id, updated_at, payload, delivered";

  /** Exactly the shape of journal_window_ix, so the plan is a range scan with no sort. */
  static final String WINDOW = "SELECT " + COLUMNS + " FROM journal"
      + " WHERE jurisdiction = ? AND target_side = ? AND updated_at >= ? AND updated_at <= ?"
      + " ORDER BY updated_at, seq LIMIT ?";

  private final Scope scope;

  JdbcJournal(Scope scope) {
    this.scope = scope;
  }

  @Override
  public boolean append(NewJournalEntry entry) {
    Objects.requireNonNull(entry, "entry == null");
    String sql = "INSERT INTO journal (jurisdiction, target_side, update_id, link_id, updated_at,"
        + " payload, delivered) VALUES (?, ?, ?, ?, ?, ?, FALSE) ON CONFLICT DO NOTHING";
    String key = entry.jurisdiction() + "/" + entry.target() + "/" + entry.updateId();
    return scope.run("journal.append", key, connection -> {
      try (PreparedStatement insert = connection.prepareStatement(sql)) {
        insert.setString(1, entry.jurisdiction());
        insert.setString(2, entry.target().name());
        insert.setString(3, entry.updateId());
        insert.setLong(4, entry.linkId());
        setInstant(insert, 5, entry.updated());
        insert.setString(6, entry.payload());
        return insert.executeUpdate() == 1;
      }
    });
  }

  @Override
  public List<JournalEntry> window(String jurisdiction, Side target, Instant start, Instant end,
      int limit) {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    Objects.requireNonNull(target, "target == null");
    Objects.requireNonNull(start, "start == null");
    Objects.requireNonNull(end, "end == null");
    checkLimit(limit);
    return scope.run("journal.window", jurisdiction + "/" + target, connection -> {
      try (PreparedStatement select = connection.prepareStatement(WINDOW)) {
        select.setString(1, jurisdiction);
        select.setString(2, target.name());
        setInstant(select, 3, start);
        setInstant(select, 4, end);
        select.setInt(5, limit);
        return readAll(select);
      }
    });
  }

  @Override
  public List<JournalEntry> bySeq(long afterSeq, long lastSeq, int limit) {
    checkLimit(limit);
    String sql = "SELECT " + COLUMNS + " FROM journal WHERE seq > ? AND seq <= ?"
        + " ORDER BY seq LIMIT ?";
    return scope.run("journal.bySeq", afterSeq + ".." + lastSeq, connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        select.setLong(1, afterSeq);
        select.setLong(2, lastSeq);
        select.setInt(3, limit);
        return readAll(select);
      }
    });
  }

  @Override
  public List<JournalEntry> undelivered(Side target, long afterSeq, int limit) {
    Objects.requireNonNull(target, "target == null");
    checkLimit(limit);
    String sql = "SELECT " + COLUMNS + " FROM journal"
        + " WHERE target_side = ? AND delivered = FALSE AND seq > ? ORDER BY seq LIMIT ?";
    return scope.run("journal.undelivered", target + "/" + afterSeq, connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        select.setString(1, target.name());
        select.setLong(2, afterSeq);
        select.setInt(3, limit);
        return readAll(select);
      }
    });
  }

  @Override
  public boolean markDelivered(long seq) {
    String sql = "UPDATE journal SET delivered = TRUE WHERE seq = ? AND delivered = FALSE";
    return scope.run("journal.markDelivered", seq, connection -> {
      try (PreparedStatement update = connection.prepareStatement(sql)) {
        update.setLong(1, seq);
        return update.executeUpdate() == 1;
      }
    });
  }

  private static List<JournalEntry> readAll(PreparedStatement select) throws SQLException {
    try (ResultSet rows = select.executeQuery()) {
      List<JournalEntry> entries = new ArrayList<>();
      while (rows.next()) {
        entries.add(new JournalEntry(rows.getLong("seq"), rows.getString("jurisdiction"),
            Side.valueOf(rows.getString("target_side")), rows.getString("update_id"),
            rows.getLong("link_id"), instant(rows, "updated_at"), rows.getString("payload"),
            rows.getBoolean("delivered")));
      }
      return Collections.unmodifiableList(entries);
    }
  }
}
