package org.civicsync.open311.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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
   * @throws IllegalArgumentException naming the field whose percent-encoding is broken or whose
   *     bytes are not UTF-8
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

  /**
   * Parses a form body as it arrived, refusing bytes that are not UTF-8 rather than turning them
   * into replacement characters.
   */
  public static FormFields parse(byte[] body) {
    Objects.requireNonNull(body, "body == null");
    return parse(utf8(ByteBuffer.wrap(body), "the form body"));
  }

  /**
   * Percent-decodes strictly: {@link java.net.URLDecoder} would silently replace bytes that are not
   * UTF-8 with U+FFFD, corrupting a citizen's text with no sign of it.
   */
  private static String decode(String raw, String what) {
    if (raw.indexOf('%') < 0) {
      return raw.replace('+', ' ');
    }
    ByteBuffer bytes = ByteBuffer.allocate(raw.length() * 4);
    int i = 0;
    while (i < raw.length()) {
      if (raw.charAt(i) == '%') {
        int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int lo = hi < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
        if (lo < 0) {
          throw new IllegalArgumentException("malformed percent-encoding in " + what + ": '"
              + raw.substring(i, Math.min(raw.length(), i + 3)) + "' at position " + (i + 1));
        }
        bytes.put((byte) (hi * 16 + lo));
        i += 3;
      } else {
        int next = raw.indexOf('%', i);
        next = next < 0 ? raw.length() : next;
        bytes.put(raw.substring(i, next).replace('+', ' ').getBytes(StandardCharsets.UTF_8));
        i = next;
      }
    }
    bytes.flip();
    return utf8(bytes, what);
  }

  private static String utf8(ByteBuffer bytes, String what) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(what + " is not valid UTF-8, which GeoReport v2 requires "
          + "(a malformed sequence at byte " + (bytes.position() + 1) + ")");
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

  /** Each field's first value, empty ones included, keyed by name in arrival order. */
  public Map<String, String> firstValues() {
    Map<String, String> out = new LinkedHashMap<>();
    entries.forEach(e -> out.putIfAbsent(e.getKey(), e.getValue()));
    return Collections.unmodifiableMap(out);
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
