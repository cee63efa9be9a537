package org.civicsync.crm.rest;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One map of the REST adapter's settings tree, with its dotted path ({@code operations.create}).
 * Every reader records a problem naming the full path instead of throwing, so one pass reports
 * every bad value; {@link #check(String)} throws them all together at the end.
 */
final class SettingTree {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String path;
  private final Map<String, ?> values;
  private final List<String> problems;

  private SettingTree(String path, Map<String, ?> values, List<String> problems) {
    this.path = path;
    this.values = values;
    this.problems = problems;
  }

  static SettingTree root(Map<String, ?> values) {
    return new SettingTree("", values, new ArrayList<>());
  }

  String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  boolean has(String key) {
    return values.get(key) != null;
  }

  void problem(String key, String message) {
    problems.add(path(key) + ": " + message);
  }

  /** Complains about each key not in {@code known}: a typo would otherwise be ignored. */
  SettingTree allowOnly(Set<String> known) {
    for (String key : values.keySet()) {
      if (!known.contains(key)) {
        problem(key, "unknown setting: expected one of " + new TreeSet<>(known));
      }
    }
    return this;
  }

  Optional<String> text(String key) {
    Object value = values.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
      problem(key, "must be a text, not a " + kind(value));
      return Optional.empty();
    }
    String text = value.toString();
    if (text.isBlank()) {
      problem(key, "must not be blank");
      return Optional.empty();
    }
    return Optional.of(text);
  }

  Optional<String> requiredText(String key, String what) {
    if (!has(key)) {
      problem(key, "is required: " + what);
      return Optional.empty();
    }
    return text(key);
  }

  /** One of {@code choices} (case-sensitive, as written in the docs). */
  Optional<String> choice(String key, Set<String> choices, Optional<String> otherwise) {
    Optional<String> value = text(key);
    if (value.isPresent() && !choices.contains(value.get())) {
      problem(key, "must be one of " + new TreeSet<>(choices) + ", not '" + value.get() + "'");
      return Optional.empty();
    }
    if (value.isEmpty() && !has(key) && otherwise.isEmpty()) {
      problem(key, "is required: one of " + new TreeSet<>(choices));
    }
    return value.isPresent() ? value : otherwise;
  }

  Optional<SettingTree> section(String key) {
    Object value = values.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof Map<?, ?> map)) {
      problem(key, "must be a map of settings, not a " + kind(value));
      return Optional.empty();
    }
    @SuppressWarnings("unchecked")
    Map<String, ?> typed = (Map<String, ?>) map;
    return Optional.of(new SettingTree(path(key), typed, problems));
  }

  Optional<SettingTree> requiredSection(String key, String what) {
    if (!has(key)) {
      problem(key, "is required: " + what);
    }
    return section(key);
  }

  Optional<List<String>> list(String key) {
    Object value = values.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof Collection<?> items)) {
      problem(key, "must be a list, not a " + kind(value));
      return Optional.empty();
    }
    return Optional.of(items.stream().map(String::valueOf).toList());
  }

  /** An RFC 6901 JSON Pointer: empty for the whole document, else starting with {@code /}. */
  Optional<JsonPointer> pointer(String key) {
    if (values.get(key) instanceof String s && s.isEmpty()) {
      return Optional.of(JsonPointer.empty());
    }
    return text(key).flatMap(p -> {
      try {
        return Optional.of(JsonPointer.compile(p));
      } catch (IllegalArgumentException e) {
        problem(key, "must be a JSON Pointer (RFC 6901) such as /data/id, not '" + p + "'");
        return Optional.empty();
      }
    });
  }

  Optional<JsonPointer> requiredPointer(String key, String what) {
    if (!has(key)) {
      problem(key, "is required: the JSON Pointer to " + what);
      return Optional.empty();
    }
    return pointer(key);
  }

  Optional<Integer> positiveInt(String key) {
    Object value = values.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Integer i && i > 0) {
      return Optional.of(i);
    }
    problem(key, "must be a whole number of at least 1, not '" + value + "'");
    return Optional.empty();
  }

  Optional<Duration> seconds(String key, boolean zeroAllowed) {
    Object value = values.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Number n && (n.doubleValue() > 0 || zeroAllowed && n.doubleValue() == 0)) {
      return Optional.of(Duration.ofMillis(Math.round(n.doubleValue() * 1000)));
    }
    problem(key, "must be a number of seconds " + (zeroAllowed ? "of 0 or more" : "above 0")
        + ", not '" + value + "'");
    return Optional.empty();
  }

  /** A JSON object template, as a tree. */
  Optional<JsonNode> object(String key) {
    Object value = values.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof Map<?, ?>)) {
      problem(key, "must be a JSON object (a map), not a " + kind(value));
      return Optional.empty();
    }
    return Optional.of(JSON.valueToTree(value));
  }

  /** Throws every problem recorded in this tree, naming adapter {@code name}. */
  void check(String name) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(name + ": " + problems.size()
          + (problems.size() == 1 ? " bad setting" : " bad settings") + " for a REST CRM: "
          + String.join("; ", problems));
    }
  }

  private static String kind(Object value) {
    return value instanceof Map<?, ?> ? "map" : value instanceof Collection<?> ? "list"
        : value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }
}
