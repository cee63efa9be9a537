package org.civicsync.open311.codec;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.civicsync.core.model.W3cDateTime;
import org.civicsync.open311.Open311FormatException;

/**
 * Tolerant reads from a document tree, with a path for errors. Values arrive as strings from XML
 * and as strings, numbers or booleans from JSON; all are read as text, stripped, and an empty
 * value is absent.
 */
final class Tree {
  private Tree() {}

  static Optional<String> text(JsonNode node, String field, String path) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull() || value.isMissingNode()
        || (value.isObject() && value.isEmpty())) {
      // An XML element holding only empty elements carries no value either.
      return Optional.empty();
    }
    if (value.isBigDecimal()) {
      return Optional.of(value.decimalValue().toPlainString());
    }
    if (value.isValueNode()) {
      String s = value.asText().strip();
      return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
    if (value.isArray() && value.size() == 1 && value.get(0).isValueNode()) {
      String s = value.get(0).asText().strip();
      return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
    throw new Open311FormatException(path + "." + field + ": expected a single value, found "
        + (value.isArray() ? "a list of " + value.size() : "nested elements"));
  }

  /**
   * Free text: inner white space and line breaks are kept exactly, only the white space around the
   * text is stripped (XML indentation around a {@code service_notice}, for one).
   */
  static Optional<String> prose(JsonNode node, String field, String path) {
    JsonNode value = node.get(field);
    if (value != null && value.isTextual()) {
      String s = value.asText();
      return s.isBlank() ? Optional.empty() : Optional.of(s.strip());
    }
    return text(node, field, path);
  }

  static String required(JsonNode node, String field, String path) {
    return text(node, field, path).orElseThrow(() ->
        new Open311FormatException(path + "." + field + ": required but missing or empty"));
  }

  static <T> Optional<T> parsed(JsonNode node, String field, String path, Function<String, T> parser) {
    Optional<String> raw = text(node, field, path);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(parser.apply(raw.get()));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new Open311FormatException(path + "." + field + ": " + e.getMessage(), e);
    }
  }

  static Optional<java.time.OffsetDateTime> dateTime(JsonNode node, String field, String path) {
    return parsed(node, field, path, W3cDateTime::parse);
  }

  static Optional<BigDecimal> decimal(JsonNode node, String field, String path) {
    return parsed(node, field, path, s -> {
      try {
        return new BigDecimal(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a number: '" + s + "'");
      }
    });
  }

  /** Reads true/false, 1/0, yes/no in any case; absent gives {@code absent}. */
  static boolean bool(JsonNode node, String field, String path, boolean absent) {
    return parsed(node, field, path, s -> switch (s.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "y", "t" -> Boolean.TRUE;
      case "false", "0", "no", "n", "f" -> Boolean.FALSE;
      default -> throw new IllegalArgumentException("expected true or false, found '" + s + "'");
    }).orElse(absent);
  }

  /**
   * The items of a list field, whichever way it is written: a JSON array, a single XML element,
   * repeated XML elements, or a wrapper element ({@code <values><value/>…</values>}) holding them.
   */
  static List<JsonNode> list(JsonNode node, String field, String item) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull() || value.isMissingNode()) {
      return List.of();
    }
    if (item != null && value.isObject() && value.has(item)) {
      return asList(value.get(item));
    }
    return asList(value);
  }

  static List<JsonNode> asList(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return List.of();
    }
    if (value.isArray()) {
      List<JsonNode> out = new ArrayList<>(value.size());
      value.forEach(v -> {
        if (!v.isNull()) {
          out.add(v);
        }
      });
      return out;
    }
    return List.of(value);
  }

  /** Every text value under a node, depth first: reads {@code media_url} however it is nested. */
  static List<String> texts(JsonNode node, String field) {
    JsonNode value = node.get(field);
    List<String> out = new ArrayList<>();
    collect(value, out);
    return out;
  }

  private static void collect(JsonNode value, List<String> out) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return;
    }
    if (value.isContainerNode()) {
      value.forEach(v -> collect(v, out));
    } else {
      String s = value.asText().strip();
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
  }
}
