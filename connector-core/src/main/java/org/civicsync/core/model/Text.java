package org.civicsync.core.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small text rules shared by the model: an empty or blank value is "not sent". */
final class Text {
  private Text() {}

  static Optional<String> optional(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  static <T> List<T> copy(List<T> list, String name) {
    if (list == null) {
      throw new NullPointerException(name + " == null");
    }
    return List.copyOf(list);
  }

  static <K, V> Map<K, V> copy(Map<K, V> map, String name) {
    if (map == null) {
      throw new NullPointerException(name + " == null");
    }
    return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(map));
  }
}
