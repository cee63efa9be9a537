package org.civicsync.core.model;

import java.util.Objects;

/** One choice of a list attribute: the key that is sent, and the name a citizen sees. */
public record AttributeValue(String key, String name) {
  public AttributeValue {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(name, "name == null");
  }
}
