package org.civicsync.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A report's free attributes: code to one or more values, in the order they arrived. A
 * {@code multivaluelist} attribute has several values; every other datatype has one.
 */
public final class Attributes {
  public static final Attributes EMPTY = new Attributes(Map.of());

  private final Map<String, List<String>> values;

  private Attributes(Map<String, List<String>> values) {
    this.values = values;
  }

  public static Attributes of(Map<String, List<String>> values) {
    Objects.requireNonNull(values, "values == null");
    if (values.isEmpty()) {
      return EMPTY;
    }
    Map<String, List<String>> copy = new LinkedHashMap<>();
    values.forEach((code, list) -> copy.put(
        Objects.requireNonNull(code, "attribute code == null"), List.copyOf(list)));
    return new Attributes(Collections.unmodifiableMap(copy));
  }

  public static Builder builder() {
    return new Builder();
  }

  public Optional<String> first(String code) {
    List<String> list = values.get(code);
    return list == null || list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
  }

  public List<String> all(String code) {
    return values.getOrDefault(code, List.of());
  }

  public Set<String> codes() {
    return values.keySet();
  }

  public Map<String, List<String>> asMap() {
    return values;
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  public Builder toBuilder() {
    Builder builder = new Builder();
    values.forEach((code, list) -> list.forEach(v -> builder.add(code, v)));
    return builder;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attributes other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "Attributes" + values;
  }

  /** Collects values in arrival order; adding to a code again appends another value. */
  public static final class Builder {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    public Builder add(String code, String value) {
      Objects.requireNonNull(code, "code == null");
      Objects.requireNonNull(value, "value == null");
      values.computeIfAbsent(code, c -> new ArrayList<>(1)).add(value);
      return this;
    }

    public Builder set(String code, String value) {
      values.remove(code);
      return add(code, value);
    }

    public Attributes build() {
      return Attributes.of(values);
    }
  }
}
