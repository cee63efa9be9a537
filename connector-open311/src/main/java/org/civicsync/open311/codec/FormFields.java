package org.civicsync.open311.codec;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The fields of an {@code application/x-www-form-urlencoded} body, in order, with repeated keys
 * kept (FixMyStreet repeats {@code media_url} and {@code attribute[x]} for list values).
 */
public final class FormFields {
  private final List<Map.Entry<String, String>> entries;

  private FormFields(List<Map.Entry<String, String>> entries) {
    this.entries = Collections.unmodifiableList(entries);
  }

  public static FormFields of(List<Map.Entry<String, String>> entries) {
    return new FormFields(new ArrayList<>(entries));
  }

  /**
   * Parses a form body. {@code +} is a space; a key without {@code =} has an empty value.
   *
   * @throws IllegalArgumentException naming the field whose percent-encoding is broken
   */
  public static FormFields parse(String body) {
    Objects.requireNonNull(body, "body == null");
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (String pair : body.strip().split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String rawKey = eq < 0 ? pair : pair.substring(0, eq);
      String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
      String key = decode(rawKey, "a field name");
      out.add(Map.entry(key, decode(rawValue, "field '" + key + "'")));
    }
    return new FormFields(out);
  }

  private static String decode(String raw, String what) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed percent-encoding in " + what + ": " + e.getMessage());
    }
  }

  public List<Map.Entry<String, String>> entries() {
    return entries;
  }

  /** The first non-empty value of a field: an optional argument sent empty means "not sent". */
  public Optional<String> first(String key) {
    for (Map.Entry<String, String> e : entries) {
      if (e.getKey().equals(key) && !e.getValue().isEmpty()) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }

  public List<String> all(String key) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : entries) {
      if (e.getKey().equals(key)) {
        out.add(e.getValue());
      }
    }
    return out;
  }

  /**
   * The {@code attribute[code]} fields, with list values given either as {@code attribute[code][]}
   * or as a repeated {@code attribute[code]} (FixMyStreet's way).
   */
  public Map<String, List<String>> attributes() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : entries) {
      String key = e.getKey();
      if (key.startsWith("attribute[") && key.indexOf(']') > 10) {
        String code = key.substring(10, key.indexOf(']'));
        out.computeIfAbsent(code, c -> new ArrayList<>()).add(e.getValue());
      }
    }
    return out;
  }

  @Override
  public String toString() {
    // Field names only: values hold personal data and the api_key.
    return "FormFields" + entries.stream().map(Map.Entry::getKey).toList();
  }
}
