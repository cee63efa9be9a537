package org.civicsync.core.store;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.flywaydb.core.Flyway;

/**
 * The one {@link SyncStore} implementation, for H2 and PostgreSQL alike. Every operation is a
 * transaction that is committed (and, per {@link Dialect}, made durable) before it returns.
 */
final class JdbcSyncStore implements SyncStore {

  private final HikariDataSource pool;
  private final Dialect dialect;
  private final Clock clock;
  private final Tables tables;
  /** Where an H2 file store keeps serve mode's receipt log; empty for PostgreSQL. */
  private final Optional<Path> receiptLogDir;
  private final H2Durability durability;
  /** Opened on first use, so a store that never serves makes no log. Guarded by this. */
  private ReceiptLog receiptLog;
  private boolean closed;

  JdbcSyncStore(HikariDataSource pool, Dialect dialect, Clock clock, Optional<Path> receiptLogDir,
      H2Durability durability) {
    this.pool = Objects.requireNonNull(pool, "pool == null");
    this.dialect = Objects.requireNonNull(dialect, "dialect == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.receiptLogDir = Objects.requireNonNull(receiptLogDir, "receiptLogDir == null");
    this.durability = Objects.requireNonNull(durability, "durability == null");
    this.tables = Tables.over(new PooledScope());
  }

  /** Applies the migrations under {@code db/civicsync}; safe to run on every start. */
  void migrate() {
    try {
      Flyway.configure()
          .dataSource(pool)
          .locations("classpath:db/civicsync")
          .table("civicsync_schema_history")
          .placeholders(Map.of("identity_cache", String.valueOf(dialect.identityCache())))
          .failOnMissingLocations(true)
          .load()
          .migrate();
    } catch (RuntimeException e) {
      throw new SyncStoreException("migrate", pool.getJdbcUrl(), e);
    }
  }

  @Override
  public Links links() {
    return tables.links();
  }

  @Override
  public Journal journal() {
    return tables.journal();
  }

  @Override
  public Outbox outbox() {
    return tables.outbox();
  }

  @Override
  public Cursors cursors() {
    return tables.cursors();
  }

  @Override
  public Leases leases() {
    return tables.leases();
  }

  @Override
  public Seen seen() {
    return tables.seen();
  }

  @Override
  public ServedRequests served() {
    return tables.served();
  }

  @Override
  public Receipts receipts() {
    return tables.receipts();
  }

  @Override
  public <T> T inTransaction(Function<SyncState, T> work) {
    Objects.requireNonNull(work, "work == null");
    try (Connection connection = pool.getConnection()) {
      TransactionScope scope = new TransactionScope(connection);
      try {
        T result = work.apply(Tables.over(scope));
        scope.open = false;
        if (scope.failed) {
          // The caller swallowed a failed operation; PostgreSQL has aborted the transaction anyway.
          connection.rollback();
          throw new SyncStoreException("transaction", "-",
              "an operation inside failed and the transaction was rolled back");
        }
        connection.commit();
        dialect.afterCommit(connection);
        return result;
      } catch (RuntimeException | Error e) {
        scope.open = false;
        rollbackQuietly(connection, e);
        throw e;
      }
    } catch (SQLException e) {
      throw new SyncStoreException("transaction", "-", e);
    }
  }

  @Override
  public void runInTransaction(Consumer<SyncState> work) {
    Objects.requireNonNull(work, "work == null");
    inTransaction(state -> {
      work.accept(state);
      return null;
    });
  }

  @Override
  public synchronized Optional<ReceiptLog> receiptLog() {
    if (receiptLogDir.isEmpty()) {
      return Optional.empty();
    }
    if (closed) {
      throw new IllegalStateException("store is closed");
    }
    if (receiptLog == null) {
      receiptLog = ReceiptLog.open(receiptLogDir.get(), durability, clock);
    }
    return Optional.of(receiptLog);
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      if (receiptLog != null) {
        receiptLog.close();
      }
    }
    pool.close();
  }

  private static void rollbackQuietly(Connection connection, Throwable failure) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  /** Each operation in its own transaction on a pooled connection. */
  private final class PooledScope extends Scope {

    PooledScope() {
      super(clock, dialect);
    }

    @Override
    <T> T run(String operation, Object key, Work<T> work) {
      try (Connection connection = pool.getConnection()) {
        try {
          T result = work.apply(connection);
          connection.commit();
          dialect.afterCommit(connection);
          return result;
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(connection, e);
          throw e;
        }
      } catch (SQLException e) {
        throw new SyncStoreException(operation, key, e);
      }
    }
  }

  /** Operations on the connection of an enclosing {@link #inTransaction} call. */
  private final class TransactionScope extends Scope {

    private final Connection connection;
    private boolean open = true;
    private boolean failed;

    TransactionScope(Connection connection) {
      super(clock, dialect);
      this.connection = connection;
    }

    @Override
    <T> T run(String operation, Object key, Work<T> work) {
      if (!open) {
        throw new IllegalStateException(operation + " used after its transaction ended");
      }
      try {
        return work.apply(connection);
      } catch (SQLException e) {
        failed = true;
        throw new SyncStoreException(operation, key, e);
      } catch (RuntimeException e) {
        failed = true;
        throw e;
      }
    }
  }
}
