package org.civicsync.core.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/** Opens a {@link SyncStore}, applying pending schema migrations first. */
public final class SyncStores {

  private static final String H2_SUFFIX = ".mv.db";
  /** Serve mode's receipt log directory, beside the database file ({@link ReceiptLog}). */
  private static final String RECEIPTS_SUFFIX = ".receipts";

  private SyncStores() {
  }

  /** The embedded default: an H2 file, durable against process crashes, system UTC clock. */
  public static SyncStore h2File(Path path) {
    return h2File(path, H2Durability.PROCESS_CRASH, Clock.systemUTC());
  }

  /**
   * An H2 file store. {@code path} names the database: {@code /var/lib/civicsync/state} is kept in
   * {@code state.mv.db} (a path already ending in {@code .mv.db} is taken as that file).
   */
  public static SyncStore h2File(Path path, H2Durability durability, Clock clock) {
    Objects.requireNonNull(path, "path == null");
    Objects.requireNonNull(durability, "durability == null");
    Objects.requireNonNull(clock, "clock == null");
    String name = path.toAbsolutePath().toString();
    if (name.endsWith(H2_SUFFIX)) {
      name = name.substring(0, name.length() - H2_SUFFIX.length());
    }
    // WRITE_DELAY=0: commit writes to the file before returning (see H2Durability).
    // MODE=PostgreSQL: the shared SQL (ON CONFLICT DO NOTHING). DB_CLOSE_ON_EXIT=FALSE: the pool,
    // not H2's shutdown hook, closes the database.
    String url = "jdbc:h2:file:" + name + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"
        + ";DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
    Dialect dialect = durability == H2Durability.POWER_LOSS ? Dialect.H2_FSYNC : Dialect.H2;
    return open(url, "sa", "", dialect, 4, clock, Optional.of(Path.of(name + RECEIPTS_SUFFIX)),
        durability);
  }

  /** A shared PostgreSQL database ({@code jdbc:postgresql://...}), system UTC clock. */
  public static SyncStore jdbc(String url, String user, String password) {
    return jdbc(url, user, password, Clock.systemUTC());
  }

  /** A shared PostgreSQL database with an injected clock. */
  public static SyncStore jdbc(String url, String user, String password, Clock clock) {
    Objects.requireNonNull(url, "url == null");
    Objects.requireNonNull(user, "user == null");
    Objects.requireNonNull(password, "password == null");
    Objects.requireNonNull(clock, "clock == null");
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "url must start with jdbc:postgresql: (use h2File for H2), was " + url.split("[?;]")[0]);
    }
    return open(url, user, password, Dialect.POSTGRESQL, 8, clock, Optional.empty(),
        H2Durability.POWER_LOSS);
  }

  private static SyncStore open(String url, String user, String password, Dialect dialect,
      int poolSize, Clock clock, Optional<Path> receiptLogDir, H2Durability durability) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setAutoCommit(false);
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("civicsync-store");
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new SyncStoreException("open", url.split("[?;]")[0], e);
    }
    JdbcSyncStore store = new JdbcSyncStore(pool, dialect, clock, receiptLogDir, durability);
    try {
      store.migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return store;
  }
}
