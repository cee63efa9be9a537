package org.civicsync.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.examples.config.ConfigException;
import org.civicsync.examples.config.ConfigFile;
import org.civicsync.examples.config.ConnectorConfig;
import org.civicsync.examples.config.SecretResolver;
import picocli.CommandLine.Option;

/** {@code --config FILE}, read and checked, for every command that works on a configured connector. */
final class ConfigOption {
  /** Exit code of every command for a configuration that cannot be used. */
  static final int CONFIG_ERROR = 2;

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
      description = "The connector's YAML configuration (see examples/config/)")
  Path file;

  /** The configuration, or empty after printing every error in it to {@code err}. */
  Optional<ConnectorConfig> read(PrintWriter err, Clock clock) {
    try {
      return Optional.of(ConfigFile.reader(SecretResolver.system(), CrmAdapterRegistry.installed(), clock)
          .read(file));
    } catch (ConfigException e) {
      err.println(file + ": " + e.getMessage());
      err.flush();
      return Optional.empty();
    }
  }
}
