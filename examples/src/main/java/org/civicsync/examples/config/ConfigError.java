package org.civicsync.examples.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration file: where ({@code jurisdictions.bristol.open311.poll.every})
 * and what to do about it. Never holds a secret's value.
 */
public record ConfigError(String path, String message) {
  public ConfigError {
    Objects.requireNonNull(path, "path == null");
    Objects.requireNonNull(message, "message == null");
  }

  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
