package org.civicsync.core.store;

import static org.civicsync.core.store.Columns.setInstant;

import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** {@link Leases} over the {@code sync_lease} table. */
final class JdbcLeases implements Leases {

  private final Scope scope;

  JdbcLeases(Scope scope) {
    this.scope = scope;
  }

  @Override
  public boolean tryAcquire(String source, String owner, Instant now, Duration ttl) {
    Objects.requireNonNull(source, "source == null");
    Objects.requireNonNull(owner, "owner == null");
    Objects.requireNonNull(now, "now == null");
    Objects.requireNonNull(ttl, "ttl == null");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    // The row lock taken by the update serialises racing nodes; the loser re-checks the
    // condition against the winner's row and matches nothing.
    String take = "UPDATE sync_lease SET lease_owner = ?, expires_at = ?"
        + " WHERE source_name = ? AND (lease_owner = ? OR expires_at <= ?)";
    String insert = "INSERT INTO sync_lease (source_name, lease_owner, expires_at)"
        + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
    return scope.run("lease.tryAcquire", source, c -> {
      try (PreparedStatement update = c.prepareStatement(take)) {
        update.setString(1, owner);
        setInstant(update, 2, now.plus(ttl));
        update.setString(3, source);
        update.setString(4, owner);
        setInstant(update, 5, now);
        if (update.executeUpdate() == 1) {
          return true;
        }
      }
      try (PreparedStatement statement = c.prepareStatement(insert)) {
        statement.setString(1, source);
        statement.setString(2, owner);
        setInstant(statement, 3, now.plus(ttl));
        return statement.executeUpdate() == 1;
      }
    });
  }

  @Override
  public boolean release(String source, String owner) {
    Objects.requireNonNull(source, "source == null");
    Objects.requireNonNull(owner, "owner == null");
    String sql = "DELETE FROM sync_lease WHERE source_name = ? AND lease_owner = ?";
    return scope.run("lease.release", source, c -> {
      try (PreparedStatement delete = c.prepareStatement(sql)) {
        delete.setString(1, source);
        delete.setString(2, owner);
        return delete.executeUpdate() == 1;
      }
    });
  }
}
