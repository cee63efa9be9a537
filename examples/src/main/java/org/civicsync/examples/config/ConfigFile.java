package org.civicsync.examples.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.civicsync.core.spi.CrmAdapterRegistry;

/**
 * Reads a connector's YAML file into a {@link ConnectorConfig}, or throws a
 * {@link ConfigException} holding every error in the file, each with its path and its fix.
 *
 * <pre>
 * store: ...          # StoreConfig; default an H2 file beside this file
 * operation: ...      # OperationConfig; /health and /metrics of `run`
 * jurisdictions:
 *   bristol:
 *     open311: { poll: ..., serve: ... }   # PollConfig, ServeConfig
 *     crm: ...                             # CrmConfig
 *     fan_out: [...]                       # instead of crm, serve mode only: BranchConfig
 *     mapping: ...                         # org.civicsync.core.mapping.Mapping's form
 *     sync: ...                            # SyncConfig
 *     resilience: ...                      # ResilienceConfig
 * </pre>
 */
public final class ConfigFile {
  private static final Set<String> ROOT_KEYS = Set.of("store", "operation", "jurisdictions");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final SecretResolver secrets;
  private final CrmAdapterRegistry registry;
  private final Clock clock;

  private ConfigFile(SecretResolver secrets, CrmAdapterRegistry registry, Clock clock) {
    this.secrets = secrets;
    this.registry = registry;
    this.clock = clock;
  }

  /** A reader with the process environment, the installed CRM adapters and the system clock. */
  public static ConfigFile reader() {
    return reader(SecretResolver.system(), CrmAdapterRegistry.installed(), Clock.systemUTC());
  }

  public static ConfigFile reader(SecretResolver secrets, CrmAdapterRegistry registry, Clock clock) {
    return new ConfigFile(Objects.requireNonNull(secrets, "secrets == null"),
        Objects.requireNonNull(registry, "registry == null"), Objects.requireNonNull(clock, "clock == null"));
  }

  /** Reads {@code file}; relative paths in it are taken from the file's folder. */
  public ConnectorConfig read(Path file) {
    Objects.requireNonNull(file, "file == null");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(List.of(new ConfigError("", "cannot read " + file + " ("
          + e.getClass().getSimpleName() + "): check the path given to --config")));
    }
    Path base = file.toAbsolutePath().getParent();
    return parse(text, base == null ? Path.of("").toAbsolutePath() : base);
  }

  /** Reads YAML {@code text}; relative paths in it are taken from {@code baseDir}. */
  public ConnectorConfig parse(String text, Path baseDir) {
    Map<String, Object> tree;
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> parsed = YAML.readValue(text, Map.class);
      tree = parsed == null ? Map.of() : parsed;
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr();
      throw new ConfigException(List.of(new ConfigError("", "not valid YAML" + where + ": "
          + e.getOriginalMessage())));
    }
    ConfigProblems problems = new ConfigProblems();
    ConfigNode root = new ConfigNode("", tree, problems, secrets);
    root.allowOnly(ROOT_KEYS);
    Optional<StoreConfig> store = StoreConfig.read(root.section("store"), baseDir);
    OperationConfig operation = OperationConfig.read(root.section("operation"));
    List<JurisdictionConfig> jurisdictions = new ArrayList<>();
    Optional<ConfigNode> all = root.requiredSection("jurisdictions",
        "configure at least one jurisdiction (see examples/config/memory.yaml)");
    all.ifPresent(section -> {
      if (section.keys().isEmpty()) {
        problems.add(section.path(), "configure at least one jurisdiction");
      }
      for (String id : section.keys()) {
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
          problems.add(section.path(id), "a jurisdiction id is 1-64 letters, digits, '.', '_' or '-'");
          continue;
        }
        section.section(id).flatMap(j -> JurisdictionConfig.read(id, j, registry, clock))
            .ifPresent(jurisdictions::add);
      }
    });
    servedPathsApart(jurisdictions, problems);
    problems.throwIfAny();
    return new ConnectorConfig(store.orElseThrow(), operation, jurisdictions);
  }

  /** Two jurisdictions served on one listen address need paths neither of which holds the other. */
  private static void servedPathsApart(List<JurisdictionConfig> jurisdictions, ConfigProblems problems) {
    List<JurisdictionConfig> served = jurisdictions.stream().filter(j -> j.serve().isPresent()).toList();
    for (int a = 0; a < served.size(); a++) {
      for (int b = a + 1; b < served.size(); b++) {
        ServeConfig x = served.get(a).serve().get();
        ServeConfig y = served.get(b).serve().get();
        boolean sameAddress = x.listenPort() == y.listenPort()
            && x.listenHost().equals(y.listenHost());
        if (sameAddress && (x.path().startsWith(y.path()) || y.path().startsWith(x.path()))) {
          problems.add("jurisdictions." + served.get(b).id() + ".open311.serve.path",
              "overlaps the path of " + served.get(a).id() + " (" + x.describe()
                  + "); give each jurisdiction its own path or listen_port");
        }
      }
    }
  }
}
