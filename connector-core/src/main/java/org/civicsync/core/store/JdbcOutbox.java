package org.civicsync.core.store;

import static org.civicsync.core.store.Columns.checkLimit;
import static org.civicsync.core.store.Columns.clip;
import static org.civicsync.core.store.Columns.instant;
import static org.civicsync.core.store.Columns.optional;
import static org.civicsync.core.store.Columns.optionalInstant;
import static org.civicsync.core.store.Columns.setInstant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link Outbox} over the {@code outbox} table.
 *
 * <p>Claiming locks candidate rows with {@code FOR UPDATE SKIP LOCKED} on PostgreSQL, so
 * concurrent claimers pass over each other's rows instead of waiting, and then moves each row with
 * an update that repeats the expected state: a row is handed out only if that update changed it.
 * That update alone is what keeps claims apart on H2 (see {@link Dialect#claimLock()}).
 */
final class JdbcOutbox implements Outbox {

  private static final int MAX_ERROR = 2000;
  private static final String COLUMNS = "id, jurisdiction, kind, idempotency_key, payload, state,"
      + " attempts, next_attempt, last_error, claim_owner, claimed_until";

  private final Scope scope;

  JdbcOutbox(Scope scope) {
    this.scope = scope;
  }

  @Override
  public boolean enqueue(NewWorkItem item) {
    Objects.requireNonNull(item, "item == null");
    String sql = "INSERT INTO outbox (jurisdiction, kind, idempotency_key, payload, state,"
        + " attempts, next_attempt, created_at, updated_at)"
        + " VALUES (?, ?, ?, ?, 'PENDING', 0, ?, ?, ?) ON CONFLICT DO NOTHING";
    return scope.run("outbox.enqueue", item.jurisdiction() + "/" + item.idempotencyKey(), c -> {
      Instant now = scope.now();
      try (PreparedStatement insert = c.prepareStatement(sql)) {
        insert.setString(1, item.jurisdiction());
        insert.setString(2, item.kind());
        insert.setString(3, item.idempotencyKey());
        insert.setString(4, item.payload());
        setInstant(insert, 5, item.notBefore());
        setInstant(insert, 6, now);
        setInstant(insert, 7, now);
        return insert.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Optional<OutboxItem> find(long id) {
    return scope.run("outbox.find", id, c -> selectOne(c, "WHERE id = ?", id));
  }

  @Override
  public Optional<OutboxItem> findByKey(String jurisdiction, String idempotencyKey) {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey == null");
    return scope.run("outbox.findByKey", jurisdiction + "/" + idempotencyKey, c -> selectOne(c,
        "WHERE jurisdiction = ? AND idempotency_key = ?", jurisdiction, idempotencyKey));
  }

  @Override
  public List<Claim> claim(String owner, int limit, Instant now, Duration claimTtl) {
    return claim(null, owner, limit, now, claimTtl);
  }

  @Override
  public List<Claim> claim(String jurisdiction, String owner, int limit, Instant now,
      Duration claimTtl) {
    Objects.requireNonNull(owner, "owner == null");
    Objects.requireNonNull(now, "now == null");
    Objects.requireNonNull(claimTtl, "claimTtl == null");
    checkLimit(limit);
    if (claimTtl.isNegative() || claimTtl.isZero()) {
      throw new IllegalArgumentException("claimTtl must be positive, was " + claimTtl);
    }
    return scope.run("outbox.claim", owner, c -> {
      expireClaims(c, now);
      // One query per state, then merged, oldest due first: with the state fixed, the rows come
      // in the due index's order, where "state IN (...)" had every due row sorted on each claim.
      record Due(long id, Instant nextAttempt, OutboxState state) {}
      List<Due> due = new ArrayList<>();
      String select = "SELECT id, next_attempt FROM outbox WHERE state = ? AND next_attempt <= ?"
          + (jurisdiction == null ? "" : " AND jurisdiction = ?")
          + " ORDER BY state, next_attempt, id LIMIT ?" + scope.dialect().claimLock();
      for (OutboxState state : List.of(OutboxState.PENDING, OutboxState.UNKNOWN)) {
        try (PreparedStatement statement = c.prepareStatement(select)) {
          int p = 1;
          statement.setString(p++, state.name());
          setInstant(statement, p++, now);
          if (jurisdiction != null) {
            statement.setString(p++, jurisdiction);
          }
          statement.setInt(p, limit);
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              due.add(new Due(rows.getLong(1), instant(rows, "next_attempt"), state));
            }
          }
        }
      }
      due.sort(java.util.Comparator.comparing(Due::nextAttempt).thenComparingLong(Due::id));
      List<Long> candidates = new ArrayList<>();
      List<OutboxState> from = new ArrayList<>();
      for (Due d : due.subList(0, Math.min(limit, due.size()))) {
        candidates.add(d.id());
        from.add(d.state());
      }
      String take = "UPDATE outbox SET state = 'IN_FLIGHT', claim_owner = ?, claimed_until = ?,"
          + " attempts = attempts + 1, updated_at = ? WHERE id = ? AND state = ?";
      List<Claim> claims = new ArrayList<>();
      try (PreparedStatement update = c.prepareStatement(take)) {
        for (int i = 0; i < candidates.size(); i++) {
          long id = candidates.get(i);
          update.setString(1, owner);
          setInstant(update, 2, now.plus(claimTtl));
          setInstant(update, 3, scope.now());
          update.setLong(4, id);
          update.setString(5, from.get(i).name());
          if (update.executeUpdate() == 1) {
            claims.add(new Claim(selectOne(c, "WHERE id = ?", id).orElseThrow(), from.get(i)));
          }
        }
      }
      return Collections.unmodifiableList(claims);
    });
  }

  @Override
  public Optional<Claim> claimItem(long id, String owner, Instant now, Duration claimTtl) {
    Objects.requireNonNull(owner, "owner == null");
    Objects.requireNonNull(now, "now == null");
    Objects.requireNonNull(claimTtl, "claimTtl == null");
    if (claimTtl.isNegative() || claimTtl.isZero()) {
      throw new IllegalArgumentException("claimTtl must be positive, was " + claimTtl);
    }
    String take = "UPDATE outbox SET state = 'IN_FLIGHT', claim_owner = ?, claimed_until = ?,"
        + " attempts = attempts + 1, updated_at = ? WHERE id = ? AND state = 'PENDING'";
    return scope.run("outbox.claimItem", id, c -> {
      try (PreparedStatement update = c.prepareStatement(take)) {
        update.setString(1, owner);
        setInstant(update, 2, now.plus(claimTtl));
        setInstant(update, 3, scope.now());
        update.setLong(4, id);
        if (update.executeUpdate() != 1) {
          return Optional.<Claim>empty();
        }
      }
      return Optional.of(new Claim(selectOne(c, "WHERE id = ?", id).orElseThrow(),
          OutboxState.PENDING));
    });
  }

  /** IN_FLIGHT past its claim: the owner died or hung mid-call, so the outcome is unknown. */
  private void expireClaims(Connection c, Instant now) throws SQLException {
    List<Long> expired = new ArrayList<>();
    String select = "SELECT id FROM outbox WHERE state = 'IN_FLIGHT' AND claimed_until <= ?"
        + " ORDER BY id" + scope.dialect().claimLock();
    try (PreparedStatement statement = c.prepareStatement(select)) {
      setInstant(statement, 1, now);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          expired.add(rows.getLong(1));
        }
      }
    }
    // The owner is kept: it may still report the outcome until someone else claims the item.
    String sql = "UPDATE outbox SET state = 'UNKNOWN', claimed_until = NULL, next_attempt = ?,"
        + " last_error = 'claim expired', updated_at = ?"
        + " WHERE id = ? AND state = 'IN_FLIGHT' AND claimed_until <= ?";
    try (PreparedStatement update = c.prepareStatement(sql)) {
      for (long id : expired) {
        setInstant(update, 1, now);
        setInstant(update, 2, scope.now());
        update.setLong(3, id);
        setInstant(update, 4, now);
        update.executeUpdate();
      }
    }
  }

  @Override
  public boolean markDone(long id, String owner) {
    Objects.requireNonNull(owner, "owner == null");
    String sql = "UPDATE outbox SET state = 'DONE', claimed_until = NULL, updated_at = ?"
        + " WHERE id = ? AND claim_owner = ? AND state IN ('IN_FLIGHT', 'UNKNOWN')";
    return scope.run("outbox.markDone", id, c -> {
      try (PreparedStatement update = c.prepareStatement(sql)) {
        setInstant(update, 1, scope.now());
        update.setLong(2, id);
        update.setString(3, owner);
        return update.executeUpdate() == 1;
      }
    });
  }

  @Override
  public boolean markUnknown(long id, String owner, String error, Instant nextAttempt) {
    Objects.requireNonNull(owner, "owner == null");
    Objects.requireNonNull(error, "error == null");
    Objects.requireNonNull(nextAttempt, "nextAttempt == null");
    String sql = "UPDATE outbox SET state = 'UNKNOWN', claimed_until = NULL, last_error = ?,"
        + " next_attempt = ?, updated_at = ?"
        + " WHERE id = ? AND claim_owner = ? AND state IN ('IN_FLIGHT', 'UNKNOWN')";
    return scope.run("outbox.markUnknown", id, c -> {
      try (PreparedStatement update = c.prepareStatement(sql)) {
        update.setString(1, clip(error, MAX_ERROR));
        setInstant(update, 2, nextAttempt);
        setInstant(update, 3, scope.now());
        update.setLong(4, id);
        update.setString(5, owner);
        return update.executeUpdate() == 1;
      }
    });
  }

  @Override
  public boolean markFailed(long id, String owner, String error, Instant nextAttempt,
      int maxAttempts) {
    Objects.requireNonNull(owner, "owner == null");
    Objects.requireNonNull(error, "error == null");
    Objects.requireNonNull(nextAttempt, "nextAttempt == null");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    String sql = "UPDATE outbox SET"
        + " state = CASE WHEN attempts >= ? THEN 'DEAD' ELSE 'PENDING' END,"
        + " claimed_until = NULL, last_error = ?, next_attempt = ?, updated_at = ?"
        + " WHERE id = ? AND claim_owner = ? AND state IN ('IN_FLIGHT', 'UNKNOWN')";
    return scope.run("outbox.markFailed", id, c -> {
      try (PreparedStatement update = c.prepareStatement(sql)) {
        update.setInt(1, maxAttempts);
        update.setString(2, clip(error, MAX_ERROR));
        setInstant(update, 3, nextAttempt);
        setInstant(update, 4, scope.now());
        update.setLong(5, id);
        update.setString(6, owner);
        return update.executeUpdate() == 1;
      }
    });
  }

  @Override
  public List<OutboxItem> listDead(String jurisdiction) {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    String sql = "SELECT " + COLUMNS + " FROM outbox WHERE jurisdiction = ? AND state = 'DEAD'"
        + " ORDER BY id";
    return scope.run("outbox.listDead", jurisdiction, c -> {
      try (PreparedStatement select = c.prepareStatement(sql)) {
        select.setString(1, jurisdiction);
        try (ResultSet rows = select.executeQuery()) {
          List<OutboxItem> items = new ArrayList<>();
          while (rows.next()) {
            items.add(read(rows));
          }
          return Collections.unmodifiableList(items);
        }
      }
    });
  }

  @Override
  public boolean replay(long id) {
    String sql = "UPDATE outbox SET state = 'PENDING', attempts = 0, next_attempt = ?,"
        + " claim_owner = NULL, claimed_until = NULL, updated_at = ?"
        + " WHERE id = ? AND state = 'DEAD'";
    return scope.run("outbox.replay", id, c -> {
      try (PreparedStatement update = c.prepareStatement(sql)) {
        Instant now = scope.now();
        setInstant(update, 1, now);
        setInstant(update, 2, now);
        update.setLong(3, id);
        return update.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Map<OutboxState, Long> counts(String jurisdiction) {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    Map<OutboxState, Long> counts = countAll(jurisdiction).get(jurisdiction);
    return counts != null ? counts : zeroCounts();
  }

  @Override
  public Map<String, Map<OutboxState, Long>> counts() {
    return countAll(null);
  }

  private Map<String, Map<OutboxState, Long>> countAll(String jurisdiction) {
    String sql = "SELECT jurisdiction, state, COUNT(*) FROM outbox"
        + (jurisdiction == null ? "" : " WHERE jurisdiction = ?")
        + " GROUP BY jurisdiction, state ORDER BY jurisdiction";
    return scope.run("outbox.counts", jurisdiction == null ? "*" : jurisdiction, c -> {
      Map<String, EnumMap<OutboxState, Long>> counts = new LinkedHashMap<>();
      try (PreparedStatement select = c.prepareStatement(sql)) {
        if (jurisdiction != null) {
          select.setString(1, jurisdiction);
        }
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            counts.computeIfAbsent(rows.getString(1), j -> new EnumMap<>(zeroCounts()))
                .put(OutboxState.valueOf(rows.getString(2)), rows.getLong(3));
          }
        }
      }
      Map<String, Map<OutboxState, Long>> result = new LinkedHashMap<>();
      counts.forEach((j, byState) -> result.put(j, Collections.unmodifiableMap(byState)));
      return Collections.unmodifiableMap(result);
    });
  }

  private static Map<OutboxState, Long> zeroCounts() {
    EnumMap<OutboxState, Long> zero = new EnumMap<>(OutboxState.class);
    for (OutboxState state : OutboxState.values()) {
      zero.put(state, 0L);
    }
    return Collections.unmodifiableMap(zero);
  }

  private static Optional<OutboxItem> selectOne(Connection c, String where, Object... params)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT " + COLUMNS + " FROM outbox " + where)) {
      for (int i = 0; i < params.length; i++) {
        select.setObject(i + 1, params[i]);
      }
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(read(rows)) : Optional.empty();
      }
    }
  }

  private static OutboxItem read(ResultSet rows) throws SQLException {
    return new OutboxItem(rows.getLong("id"), rows.getString("jurisdiction"),
        rows.getString("kind"), rows.getString("idempotency_key"), rows.getString("payload"),
        OutboxState.valueOf(rows.getString("state")), rows.getInt("attempts"),
        instant(rows, "next_attempt"), optional(rows, "last_error"),
        optional(rows, "claim_owner"), optionalInstant(rows, "claimed_until"));
  }
}
