package org.civicsync.core.store;

import static org.civicsync.core.store.Columns.checkLimit;
import static org.civicsync.core.store.Columns.instant;
import static org.civicsync.core.store.Columns.setInstant;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** {@link ServedRequests} over the {@code served_request} table, joined to {@code link}. */
final class JdbcServedRequests implements ServedRequests {

  private static final String COLUMNS = "s.link_id, s.jurisdiction, s.requested_at,"
      + " s.service_code, s.non_public, s.crm_originated, s.payload";

  private final Scope scope;

  JdbcServedRequests(Scope scope) {
    this.scope = scope;
  }

  @Override
  public boolean record(ServedRequest request) {
    Objects.requireNonNull(request, "request == null");
    String sql = "INSERT INTO served_request (link_id, jurisdiction, requested_at, service_code,"
        + " non_public, crm_originated, payload) VALUES (?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT DO NOTHING";
    return scope.run("served.record", request.linkId(), connection -> {
      try (PreparedStatement insert = connection.prepareStatement(sql)) {
        insert.setLong(1, request.linkId());
        insert.setString(2, request.jurisdiction());
        setInstant(insert, 3, request.requested());
        insert.setString(4, request.serviceCode().orElse(null));
        insert.setBoolean(5, request.nonPublic());
        insert.setBoolean(6, request.crmOriginated());
        insert.setString(7, request.payload());
        return insert.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Optional<ServedRequest> find(long linkId) {
    String sql = "SELECT " + COLUMNS + " FROM served_request s WHERE s.link_id = ?";
    return scope.run("served.find", linkId, connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        select.setLong(1, linkId);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next() ? Optional.of(read(rows)) : Optional.empty();
        }
      }
    });
  }

  /**
   * A range scan of served_request_window_ix; the filters narrow it, the join reads each row's link
   * by primary key. Status is the link's current one, as served.
   */
  @Override
  public List<Served> window(ServedQuery q) {
    Objects.requireNonNull(q, "query == null");
    StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(", l.")
        .append(JdbcLinks.COLUMNS.replace(", ", ", l."))
        .append(" FROM served_request s JOIN link l ON l.id = s.link_id")
        .append(" WHERE s.jurisdiction = ? AND s.requested_at >= ? AND s.requested_at <= ?")
        .append(" AND s.non_public = FALSE AND l.crm_id IS NOT NULL");
    in(sql, "s.service_code", q.serviceCodes(), false);
    in(sql, "s.service_code", q.hiddenServiceCodes(), true);
    in(sql, "COALESCE(l.crm_status, l.open311_status, 'OPEN')", q.statuses(), false);
    sql.append(" ORDER BY s.requested_at, s.link_id LIMIT ?");
    return scope.run("served.window", q.jurisdiction(), connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
        int i = 0;
        select.setString(++i, q.jurisdiction());
        setInstant(select, ++i, q.start());
        setInstant(select, ++i, q.end());
        for (Set<String> values : List.of(q.serviceCodes(), q.hiddenServiceCodes(), q.statuses())) {
          for (String v : values.stream().sorted().toList()) {
            select.setString(++i, v);
          }
        }
        select.setInt(++i, q.limit());
        try (ResultSet rows = select.executeQuery()) {
          List<Served> served = new ArrayList<>();
          while (rows.next()) {
            served.add(new Served(read(rows), JdbcLinks.read(rows)));
          }
          return Collections.unmodifiableList(served);
        }
      }
    });
  }

  /**
   * A walk of the link table's primary key from {@code afterId}, each link's served row looked up
   * by its own primary key; links with a row (every one received since V3) are read and passed
   * over, so once nothing is left a call costs one pass over the jurisdiction's links.
   */
  @Override
  public List<Link> unserved(String jurisdiction, long afterId, int limit) {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    checkLimit(limit);
    String sql = "SELECT " + JdbcLinks.COLUMNS + " FROM link l WHERE l.jurisdiction = ?"
        + " AND l.id > ? AND l.open311_id IS NOT NULL"
        + " AND NOT EXISTS (SELECT 1 FROM served_request s WHERE s.link_id = l.id)"
        + " ORDER BY l.id LIMIT ?";
    return scope.run("served.unserved", jurisdiction + "/" + afterId,
        connection -> JdbcLinks.page(connection, sql, jurisdiction, afterId, limit));
  }

  private static void in(StringBuilder sql, String column, Set<String> values, boolean not) {
    if (values.isEmpty()) {
      return;
    }
    sql.append(" AND ");
    if (not) {
      // NULL NOT IN (...) is unknown, not true: a row without a code is not hidden.
      sql.append("(").append(column).append(" IS NULL OR ");
    }
    sql.append(column).append(not ? " NOT IN (" : " IN (")
        .append(String.join(", ", Collections.nCopies(values.size(), "?"))).append(")");
    if (not) {
      sql.append(")");
    }
  }

  private static ServedRequest read(ResultSet rows) throws SQLException {
    return new ServedRequest(rows.getLong("link_id"), rows.getString("jurisdiction"),
        instant(rows, "requested_at"), Optional.ofNullable(rows.getString("service_code")),
        rows.getBoolean("non_public"), rows.getBoolean("crm_originated"),
        rows.getString("payload"));
  }
}
