package org.civicsync.core.mapping;

import java.util.Objects;

/**
 * One thing wrong with a mapping, at a path into the configuration such as
 * {@code jurisdictions.bristol.statuses.crm_to_open311.INP}.
 */
public record MappingError(String path, String message) {
  public MappingError {
    Objects.requireNonNull(path, "path == null");
    Objects.requireNonNull(message, "message == null");
  }

  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
