package org.civicsync.examples.config;

import java.util.Objects;

/**
 * A secret read through a reference in the configuration ({@code ${env:NAME}} or
 * {@code ${file:/path}}). Its {@link #toString()} shows the reference, never the value, so a
 * configuration printed or logged stays safe to share.
 */
public record Secret(String reference, String value) {
  public Secret {
    Objects.requireNonNull(reference, "reference == null");
    Objects.requireNonNull(value, "value == null");
  }

  @Override
  public String toString() {
    return reference + "=<redacted>";
  }
}
