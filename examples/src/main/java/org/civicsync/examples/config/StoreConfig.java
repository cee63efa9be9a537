package org.civicsync.examples.config;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.civicsync.core.store.SyncStore;
import org.civicsync.core.store.SyncStores;

/**
 * Where the sync state lives: an H2 file (the default, one node) or a PostgreSQL database (several
 * nodes sharing the work).
 *
 * <pre>
 * store:
 *   h2_file: state/civicsync          # relative to the configuration file's folder
 * # or
 * store:
 *   postgresql: { url: jdbc:postgresql://db:5432/civicsync, user: civicsync,
 *                 password: ${env:CIVICSYNC_DB_PASSWORD} }
 * </pre>
 */
public sealed interface StoreConfig {
  String DEFAULT_H2_FILE = "civicsync-state";

  /** Opens the store, applying pending migrations. */
  SyncStore open(Clock clock);

  /** An H2 database in {@code path} (plus {@code .mv.db}). */
  record H2File(Path path) implements StoreConfig {
    public H2File {
      Objects.requireNonNull(path, "path == null");
    }

    @Override
    public SyncStore open(Clock clock) {
      return SyncStores.h2File(path, org.civicsync.core.store.H2Durability.PROCESS_CRASH, clock);
    }
  }

  /** A shared PostgreSQL database. */
  record PostgreSql(String url, String user, Secret password) implements StoreConfig {
    public PostgreSql {
      Objects.requireNonNull(url, "url == null");
      Objects.requireNonNull(user, "user == null");
      Objects.requireNonNull(password, "password == null");
    }

    @Override
    public SyncStore open(Clock clock) {
      return SyncStores.jdbc(url, user, password.value(), clock);
    }

    @Override
    public String toString() {
      return "PostgreSql[url=" + url.split("[?;]")[0] + ", user=" + user + ", password=" + password + "]";
    }
  }

  /** Reads the {@code store} section; absent means the H2 file default beside the configuration. */
  static Optional<StoreConfig> read(Optional<ConfigNode> section, Path baseDir) {
    if (section.isEmpty()) {
      return Optional.of(new H2File(baseDir.resolve(DEFAULT_H2_FILE)));
    }
    ConfigNode node = section.get();
    node.allowOnly(Set.of("h2_file", "postgresql"));
    if (node.has("h2_file") && node.has("postgresql")) {
      node.problems().add(node.path(), "give either h2_file or postgresql, not both");
      return Optional.empty();
    }
    if (node.has("postgresql")) {
      return node.section("postgresql").flatMap(StoreConfig::postgres);
    }
    return Optional.of(new H2File(baseDir.resolve(node.text("h2_file").orElse(DEFAULT_H2_FILE))));
  }

  private static Optional<StoreConfig> postgres(ConfigNode pg) {
    pg.allowOnly(Set.of("url", "user", "password"));
    Optional<String> url = pg.requiredText("url", "the JDBC URL, e.g. jdbc:postgresql://db:5432/civicsync");
    Optional<String> user = pg.requiredText("user", "the database user");
    Optional<Secret> password = pg.has("password") ? pg.secret("password") : Optional.empty();
    if (!pg.has("password")) {
      pg.problems().add(pg.path("password"), "is required: write password: ${env:CIVICSYNC_DB_PASSWORD}");
    }
    if (url.isPresent() && !url.get().startsWith("jdbc:postgresql:")) {
      pg.problems().add(pg.path("url"), "must start with jdbc:postgresql: (for H2 use store.h2_file)");
      return Optional.empty();
    }
    if (url.isEmpty() || user.isEmpty() || password.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new PostgreSql(url.get(), user.get(), password.get()));
  }
}
