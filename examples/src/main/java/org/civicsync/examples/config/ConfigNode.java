package org.civicsync.examples.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One section of the parsed YAML at a path, read with the types the connector needs. A wrong or
 * missing value is recorded in {@link ConfigProblems} with its path and how to fix it, and the
 * getter answers empty, so reading goes on and every mistake is reported in one run.
 */
final class ConfigNode {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private final String path;
  private final Map<String, ?> values;
  private final ConfigProblems problems;
  private final SecretResolver secrets;

  ConfigNode(String path, Map<String, ?> values, ConfigProblems problems, SecretResolver secrets) {
    this.path = path;
    this.values = values;
    this.problems = problems;
    this.secrets = secrets;
  }

  String path() {
    return path;
  }

  String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  ConfigProblems problems() {
    return problems;
  }

  SecretResolver secrets() {
    return secrets;
  }

  boolean has(String key) {
    return values.get(key) != null;
  }

  Set<String> keys() {
    return values.keySet();
  }

  Object raw(String key) {
    return values.get(key);
  }

  /** Records every key not in {@code known}, naming the keys that are. */
  void allowOnly(Set<String> known) {
    for (String key : values.keySet()) {
      if (!known.contains(key)) {
        problems.add(path(key), "unknown key: expected one of " + new TreeSet<>(known)
            + " (check the spelling and the indentation)");
      }
    }
  }

  /** A nested section; empty (and recorded) when present but not a map. */
  Optional<ConfigNode> section(String key) {
    Object value = values.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof Map<?, ?> map)) {
      problems.add(path(key), "must be a section of key: value lines, not '" + shown(value) + "'");
      return Optional.empty();
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(String.valueOf(k), v));
    return Optional.of(new ConfigNode(path(key), copy, problems, secrets));
  }

  Optional<ConfigNode> requiredSection(String key, String hint) {
    if (!has(key)) {
      problems.add(path(key), "is required: " + hint);
      return Optional.empty();
    }
    return section(key);
  }

  Optional<String> text(String key) {
    Object value = values.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Map || value instanceof List) {
      problems.add(path(key), "must be a single value, not a list or section");
      return Optional.empty();
    }
    String text = value.toString().strip();
    if (SecretResolver.isReference(text)) {
      problems.add(path(key), "is not a secret: write the value itself, not a reference");
      return Optional.empty();
    }
    return Optional.of(text).filter(t -> !t.isEmpty());
  }

  Optional<String> requiredText(String key, String hint) {
    if (!has(key)) {
      problems.add(path(key), "is required: " + hint);
      return Optional.empty();
    }
    return text(key);
  }

  Optional<Secret> secret(String key) {
    Object value = values.get(key);
    if (value == null) {
      return Optional.empty();
    }
    return secrets.resolve(value.toString(), path(key), problems);
  }

  Optional<Boolean> bool(String key) {
    Object value = values.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof Boolean b)) {
      problems.add(path(key), "must be true or false, not '" + shown(value) + "'");
      return Optional.empty();
    }
    return Optional.of(b);
  }

  Optional<Integer> integer(String key, int min, int max) {
    Object value = values.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof Integer i) || i < min || i > max) {
      problems.add(path(key), "must be a whole number from " + min + " to " + max + ", not '"
          + shown(value) + "'");
      return Optional.empty();
    }
    return Optional.of(i);
  }

  Optional<Double> number(String key, double min, double max) {
    Object value = values.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof Number n) || n.doubleValue() < min || n.doubleValue() > max) {
      problems.add(path(key), "must be a number from " + min + " to " + max + ", not '"
          + shown(value) + "'");
      return Optional.empty();
    }
    return Optional.of(n.doubleValue());
  }

  /** A positive duration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d} or ISO-8601. */
  Optional<Duration> duration(String key) {
    Object value = values.get(key);
    if (value == null) {
      return Optional.empty();
    }
    Optional<Duration> parsed = parseDuration(value.toString());
    if (parsed.isEmpty() || parsed.get().isZero() || parsed.get().isNegative()) {
      problems.add(path(key), "must be a positive duration such as 500ms, 30s, 5m, 2h or 7d, not '"
          + shown(value) + "'");
      return Optional.empty();
    }
    return parsed;
  }

  /** An absolute http(s) URL. */
  Optional<URI> url(String key, String hint) {
    Optional<String> text = requiredText(key, hint);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(text.get());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return Optional.of(uri);
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    problems.add(path(key), "must be an http:// or https:// URL, not '" + text.get() + "'");
    return Optional.empty();
  }

  static Optional<Duration> parseDuration(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    Matcher m = DURATION.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return Optional.of(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      });
    }
    try {
      return Optional.of(Duration.parse(text.strip()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** A value as it may be shown in an error: short, and never a whole section. */
  private static String shown(Object value) {
    String s = String.valueOf(value);
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }
}
