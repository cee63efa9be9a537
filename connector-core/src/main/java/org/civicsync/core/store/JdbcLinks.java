package org.civicsync.core.store;

import static org.civicsync.core.store.Columns.checkLimit;
import static org.civicsync.core.store.Columns.instant;
import static org.civicsync.core.store.Columns.optional;
import static org.civicsync.core.store.Columns.setInstant;
import static org.civicsync.core.store.Columns.setOptional;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.civicsync.core.model.Status;

/** {@link Links} over the {@code link} table. */
final class JdbcLinks implements Links {

  static final String COLUMNS = "id, jurisdiction, crm_id, open311_id, fixmystreet_id,"
      + " open311_status, open311_version, crm_status, crm_version, complete, revision,"
      + " created_at, updated_at";

  // ON CONFLICT DO NOTHING waits for a racing insert of the same key to commit, then skips:
  // the follow-up select sees the winner's row, so racing callers all return one link.
  private static final String INSERT = "INSERT INTO link (jurisdiction, crm_id, open311_id,"
      + " fixmystreet_id, open311_status, open311_version, crm_status, crm_version, complete,"
      + " revision, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, FALSE, 1, ?, ?)"
      + " ON CONFLICT DO NOTHING";

  private final Scope scope;

  JdbcLinks(Scope scope) {
    this.scope = scope;
  }

  @Override
  public LinkInsert insertIfAbsentByOpen311Id(NewLink link) {
    Objects.requireNonNull(link, "link == null");
    String open311Id = link.open311Id()
        .orElseThrow(() -> new IllegalArgumentException("link has no open311Id"));
    return insertIfAbsent(link, "open311_id", open311Id);
  }

  @Override
  public LinkInsert insertIfAbsentByCrmId(NewLink link) {
    Objects.requireNonNull(link, "link == null");
    String crmId = link.crmId()
        .orElseThrow(() -> new IllegalArgumentException("link has no crmId"));
    return insertIfAbsent(link, "crm_id", crmId);
  }

  private LinkInsert insertIfAbsent(NewLink link, String keyColumn, String keyValue) {
    String operation = "link.insertIfAbsent(" + keyColumn + ")";
    String key = link.jurisdiction() + "/" + keyValue;
    return scope.run(operation, key, connection -> {
      Instant now = scope.now();
      int inserted;
      try (PreparedStatement insert = connection.prepareStatement(INSERT, new String[] {"id"})) {
        insert.setString(1, link.jurisdiction());
        setOptional(insert, 2, link.crmId());
        setOptional(insert, 3, link.open311Id());
        setOptional(insert, 4, link.fixMyStreetId());
        setSide(insert, 5, link.open311());
        setSide(insert, 7, link.crm());
        setInstant(insert, 9, now);
        setInstant(insert, 10, now);
        inserted = insert.executeUpdate();
        if (inserted == 1) {
          // The row is exactly what was written: no need to read it back (serve mode's drainer
          // inserts thousands per second).
          try (ResultSet keys = insert.getGeneratedKeys()) {
            if (keys.next()) {
              return new LinkInsert(new Link(keys.getLong(1), link.jurisdiction(), link.crmId(),
                  link.open311Id(), link.fixMyStreetId(), link.open311(), link.crm(), false, 1,
                  now, now), true);
            }
          }
        }
      }
      Optional<Link> stored = selectOne(connection,
          "WHERE jurisdiction = ? AND " + keyColumn + " = ?", link.jurisdiction(), keyValue);
      if (stored.isEmpty()) {
        // Skipped on the other unique key: a different link already owns that id.
        throw new SyncStoreException(operation, key,
            "another link already holds this link's other id");
      }
      return new LinkInsert(stored.get(), inserted == 1);
    });
  }

  @Override
  public Optional<Link> find(long id) {
    return scope.run("link.find", id, connection -> selectOne(connection, "WHERE id = ?", id));
  }

  @Override
  public Optional<Link> findByOpen311Id(String jurisdiction, String open311Id) {
    return findBy("open311_id", jurisdiction, open311Id);
  }

  @Override
  public Optional<Link> findByCrmId(String jurisdiction, String crmId) {
    return findBy("crm_id", jurisdiction, crmId);
  }

  @Override
  public Optional<Link> findByFixMyStreetId(String jurisdiction, String fixMyStreetId) {
    return findBy("fixmystreet_id", jurisdiction, fixMyStreetId);
  }

  private Optional<Link> findBy(String column, String jurisdiction, String value) {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    Objects.requireNonNull(value, column + " == null");
    return scope.run("link.findBy(" + column + ")", jurisdiction + "/" + value,
        connection -> selectOne(connection,
            "WHERE jurisdiction = ? AND " + column + " = ? ORDER BY id", jurisdiction, value));
  }

  @Override
  public boolean update(Link link) {
    Objects.requireNonNull(link, "link == null");
    String sql = "UPDATE link SET crm_id = ?, open311_id = ?, fixmystreet_id = ?,"
        + " open311_status = ?, open311_version = ?, crm_status = ?, crm_version = ?,"
        + " complete = ?, revision = revision + 1, updated_at = ? WHERE id = ? AND revision = ?";
    return scope.run("link.update", link.id(), connection -> {
      try (PreparedStatement update = connection.prepareStatement(sql)) {
        setOptional(update, 1, link.crmId());
        setOptional(update, 2, link.open311Id());
        setOptional(update, 3, link.fixMyStreetId());
        setSide(update, 4, link.open311());
        setSide(update, 6, link.crm());
        update.setBoolean(8, link.complete());
        setInstant(update, 9, scope.now());
        update.setLong(10, link.id());
        update.setLong(11, link.revision());
        return update.executeUpdate() == 1;
      }
    });
  }

  @Override
  public List<Link> openLinks(String jurisdiction, long afterId, int limit) {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    checkLimit(limit);
    // Ordered by the whole of link_open_ix although the first two are fixed: H2 reads the index in
    // order only then; "ORDER BY id" had it sort every open link for each page (with 100,000 open,
    // a re-poll pass went quadratic).
    String sql = "SELECT " + COLUMNS + " FROM link WHERE jurisdiction = ? AND complete = FALSE"
        + " AND id > ? ORDER BY jurisdiction, complete, id LIMIT ?";
    return scope.run("link.openLinks", jurisdiction + "/" + afterId,
        connection -> page(connection, sql, jurisdiction, afterId, limit));
  }

  /** Runs a keyset-paged link query whose parameters are (jurisdiction, after id, limit). */
  static List<Link> page(Connection connection, String sql, String jurisdiction, long afterId,
      int limit) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setString(1, jurisdiction);
      select.setLong(2, afterId);
      select.setInt(3, limit);
      try (ResultSet rows = select.executeQuery()) {
        List<Link> links = new ArrayList<>();
        while (rows.next()) {
          links.add(read(rows));
        }
        return Collections.unmodifiableList(links);
      }
    }
  }

  @Override
  public long forEachOpen311Id(String jurisdiction, Consumer<String> each) {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    Objects.requireNonNull(each, "each == null");
    String sql = "SELECT open311_id FROM link WHERE jurisdiction = ? AND open311_id IS NOT NULL";
    return scope.run("link.forEachOpen311Id", jurisdiction, connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        select.setString(1, jurisdiction);
        select.setFetchSize(5_000); // streamed: PostgreSQL keeps a cursor (auto-commit is off)
        try (ResultSet rows = select.executeQuery()) {
          long n = 0;
          while (rows.next()) {
            each.accept(rows.getString(1));
            n++;
          }
          return n;
        }
      }
    });
  }

  @Override
  public LinkCounts counts(String jurisdiction) {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    String sql = "SELECT complete, COUNT(*) FROM link WHERE jurisdiction = ? GROUP BY complete";
    return scope.run("link.counts", jurisdiction, connection -> {
      long open = 0;
      long complete = 0;
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        select.setString(1, jurisdiction);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            if (rows.getBoolean(1)) {
              complete = rows.getLong(2);
            } else {
              open = rows.getLong(2);
            }
          }
        }
      }
      return new LinkCounts(open, complete);
    });
  }

  private static Optional<Link> selectOne(Connection connection, String where, Object... params)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT " + COLUMNS + " FROM link " + where + " LIMIT 1")) {
      for (int i = 0; i < params.length; i++) {
        select.setObject(i + 1, params[i]);
      }
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(read(rows)) : Optional.empty();
      }
    }
  }

  private static void setSide(PreparedStatement statement, int index, SideState side)
      throws SQLException {
    statement.setString(index, side.status().map(Status::name).orElse(null));
    setOptional(statement, index + 1, side.version());
  }

  private static SideState side(ResultSet rows, String prefix) throws SQLException {
    return new SideState(optional(rows, prefix + "_status").map(Status::valueOf),
        optional(rows, prefix + "_version"));
  }

  static Link read(ResultSet rows) throws SQLException {
    return new Link(rows.getLong("id"), rows.getString("jurisdiction"),
        optional(rows, "crm_id"), optional(rows, "open311_id"), optional(rows, "fixmystreet_id"),
        side(rows, "open311"), side(rows, "crm"), rows.getBoolean("complete"),
        rows.getLong("revision"), instant(rows, "created_at"), instant(rows, "updated_at"));
  }
}
