package org.civicsync.examples.config;

import java.util.List;

/**
 * A configuration that cannot be used, with every error found, so one run shows a person all the
 * mistakes in their file rather than one per run.
 */
public final class ConfigException extends IllegalArgumentException {
  private final transient List<ConfigError> errors;

  public ConfigException(List<ConfigError> errors) {
    super(message(errors));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one error");
    }
    this.errors = List.copyOf(errors);
  }

  public List<ConfigError> errors() {
    return errors;
  }

  private static String message(List<ConfigError> errors) {
    StringBuilder m = new StringBuilder("invalid configuration, ").append(errors.size())
        .append(errors.size() == 1 ? " error:" : " errors:");
    errors.forEach(e -> m.append("\n  ").append(e));
    return m.toString();
  }
}
