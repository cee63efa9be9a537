package org.civicsync.crm.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one adapter's settings map (as parsed from YAML), naming the adapter and the key in every
 * complaint. Not for vendors: shared by the adapters of this module only.
 */
public final class Settings {
  private final String name;
  private final String kind;
  private final Map<String, ?> values;

  private Settings(String name, String kind, Map<String, ?> values) {
    this.name = name;
    this.kind = kind;
    this.values = values;
  }

  /**
   * The settings of adapter {@code name}, a {@code kind} CRM ("a Salesforce CRM").
   *
   * @throws IllegalArgumentException for a key not in {@code known}: a typo would otherwise be
   *     silently ignored
   */
  public static Settings of(String name, String kind, Map<String, ?> values, Set<String> known) {
    for (String key : values.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException(name + ": unknown setting '" + key + "' for " + kind
            + ": expected one of " + new TreeSet<>(known));
      }
    }
    return new Settings(name, kind, values);
  }

  public String name() {
    return name;
  }

  public String required(String key) {
    return optional(key).orElseThrow(() ->
        new IllegalArgumentException(name + ": setting '" + key + "' is required for " + kind));
  }

  public Optional<String> optional(String key) {
    Object value = values.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
      throw new IllegalArgumentException(name + ": " + key + " must be a text");
    }
    return Optional.of(value.toString()).filter(v -> !v.isBlank());
  }

  public Optional<Set<String>> list(String key) {
    Object value = values.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof Collection<?> items)) {
      throw new IllegalArgumentException(name + ": " + key + " must be a list");
    }
    Set<String> set = new LinkedHashSet<>();
    items.forEach(item -> set.add(String.valueOf(item)));
    return Optional.of(set);
  }

  public Optional<Double> number(String key) {
    Object value = values.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Number n) {
      return Optional.of(n.doubleValue());
    }
    try {
      return Optional.of(Double.parseDouble(value.toString()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": " + key + " must be a number, not '" + value + "'");
    }
  }

  public Optional<Integer> integer(String key) {
    return number(key).map(d -> {
      if (d != Math.rint(d)) {
        throw new IllegalArgumentException(name + ": " + key + " must be a whole number, not " + d);
      }
      return d.intValue();
    });
  }

  public Optional<Duration> seconds(String key) {
    return number(key).map(n -> {
      if (n <= 0) {
        throw new IllegalArgumentException(name + ": " + key + " must be a positive number");
      }
      return Duration.ofMillis((long) (n * 1000));
    });
  }

  /** A complaint naming this adapter, for cross-field checks. */
  public IllegalArgumentException wrong(String message) {
    return new IllegalArgumentException(name + ": " + message);
  }
}
