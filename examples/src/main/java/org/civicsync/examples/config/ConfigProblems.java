package org.civicsync.examples.config;

import java.util.ArrayList;
import java.util.List;

/** Collects errors while a configuration is read; reading goes on after each. */
final class ConfigProblems {
  private final List<ConfigError> errors = new ArrayList<>();

  void add(String path, String message) {
    errors.add(new ConfigError(path, message));
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  int size() {
    return errors.size();
  }

  List<ConfigError> errors() {
    return List.copyOf(errors);
  }

  void throwIfAny() {
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
  }
}
