package org.civicsync.open311;

import java.util.Objects;

/** One entry of a GeoReport v2 error document. The code need not equal the HTTP status. */
public record Open311Error(String code, String description) {
  public Open311Error {
    Objects.requireNonNull(code, "code == null");
    Objects.requireNonNull(description, "description == null");
  }

  @Override
  public String toString() {
    return (code.isEmpty() ? "" : code + ": ") + description;
  }
}
