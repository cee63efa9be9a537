package org.civicsync.core.mapping;

import java.util.List;

/**
 * A mapping that cannot be used, with every error found: a person fixing a configuration file
 * should see all its mistakes in one run, not one per run.
 */
public final class MappingException extends IllegalArgumentException {
  private final transient List<MappingError> errors;

  MappingException(List<MappingError> errors) {
    super(message(errors));
    this.errors = List.copyOf(errors);
  }

  public List<MappingError> errors() {
    return errors;
  }

  private static String message(List<MappingError> errors) {
    StringBuilder m = new StringBuilder("invalid mapping, ").append(errors.size())
        .append(errors.size() == 1 ? " error:" : " errors:");
    errors.forEach(e -> m.append("\n  ").append(e));
    return m.toString();
  }
}
