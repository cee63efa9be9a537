package org.civicsync.crm.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough SOQL for {@link FakeOrg}: {@code SELECT f, … FROM Obj [WHERE cond] [ORDER BY f, …]
 * [LIMIT n]}, conditions of {@code field op literal} (and {@code field IN ('a', …)},
 * {@code field = true}) joined by AND / OR with parentheses, string
 * literals with backslash escapes and unquoted ISO date-time literals compared as instants.
 * Anything else is refused with the documented {@code MALFORMED_QUERY}.
 */
final class Soql {
  private static final Pattern QUERY = Pattern.compile(
      "SELECT (.+?) FROM (\\w+)(?: WHERE (.+?))?(?: ORDER BY ([\\w, ]+?))?(?: LIMIT (\\d+))?",
      Pattern.DOTALL);
  private static final Pattern TOKEN = Pattern.compile(
      "\\s*(\\(|\\)|,|>=|<=|!=|=|>|<|'(?:\\\\.|[^'\\\\])*'|[A-Za-z_][A-Za-z0-9_]*|[0-9][0-9T:.+\\-Z]*)");
  private static final DateTimeFormatter API_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

  final List<String> fields;
  final String object;
  final Predicate<JsonNode> where;
  final Comparator<JsonNode> order;
  final Integer limit;

  private List<String> tokens;
  private int at;

  Soql(String query) {
    Matcher m = QUERY.matcher(query.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(query);
    }
    fields = List.of(m.group(1).split(",\\s*"));
    object = m.group(2);
    if (m.group(3) == null) {
      where = r -> true;
    } else {
      tokens = tokenize(m.group(3));
      at = 0;
      where = or();
      if (at != tokens.size()) {
        throw new IllegalArgumentException("unexpected " + tokens.get(at));
      }
    }
    Comparator<JsonNode> byOrder = (a, b) -> 0;
    if (m.group(4) != null) {
      for (String field : m.group(4).split(",\\s*")) {
        byOrder = byOrder.thenComparing(r -> sortKey(r, field.trim()));
      }
    }
    order = byOrder;
    limit = m.group(5) == null ? null : Integer.valueOf(m.group(5));
  }

  private static List<String> tokenize(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    int pos = 0;
    while (pos < text.length()) {
      if (!m.find(pos) || m.start() != pos) {
        if (text.substring(pos).isBlank()) {
          break;
        }
        throw new IllegalArgumentException("cannot read " + text.substring(pos));
      }
      out.add(m.group(1));
      pos = m.end();
    }
    return out;
  }

  private Predicate<JsonNode> or() {
    Predicate<JsonNode> left = and();
    while (at < tokens.size() && tokens.get(at).equals("OR")) {
      at++;
      left = left.or(and());
    }
    return left;
  }

  private Predicate<JsonNode> and() {
    Predicate<JsonNode> left = factor();
    while (at < tokens.size() && tokens.get(at).equals("AND")) {
      at++;
      left = left.and(factor());
    }
    return left;
  }

  private Predicate<JsonNode> factor() {
    if (tokens.get(at).equals("(")) {
      at++;
      Predicate<JsonNode> inner = or();
      if (!tokens.get(at++).equals(")")) {
        throw new IllegalArgumentException("unbalanced parenthesis");
      }
      return inner;
    }
    String field = tokens.get(at++);
    String op = tokens.get(at++);
    if (op.equals("IN")) {
      return in(field);
    }
    String literal = tokens.get(at++);
    if (literal.equals("true") || literal.equals("false")) {
      if (!op.equals("=") && !op.equals("!=")) {
        throw new IllegalArgumentException("a boolean is compared with = or != only");
      }
      return r -> r.path(field).asText("").equals(literal) == op.equals("=");
    }
    if (!literal.startsWith("'") && !literal.matches("\\d{4}-\\d{2}-\\d{2}T.*")) {
      throw new IllegalArgumentException("unsupported literal " + literal);
    }
    boolean time = !literal.startsWith("'");
    String value = time ? literal : unescape(literal.substring(1, literal.length() - 1));
    return r -> {
      JsonNode actual = r.get(field);
      if (actual == null || actual.isNull()) {
        return false;
      }
      int c = time
          ? instant(actual.asText()).compareTo(OffsetDateTime.parse(value).toInstant())
          : actual.asText().compareTo(value);
      return switch (op) {
        case "=" -> c == 0;
        case "!=" -> c != 0;
        case ">" -> c > 0;
        case ">=" -> c >= 0;
        case "<" -> c < 0;
        case "<=" -> c <= 0;
        default -> throw new IllegalArgumentException(op);
      };
    };
  }

  /** {@code field IN ('a', 'b')}: string literals only. */
  private Predicate<JsonNode> in(String field) {
    if (!tokens.get(at++).equals("(")) {
      throw new IllegalArgumentException("IN needs a parenthesised list");
    }
    List<String> values = new ArrayList<>();
    while (true) {
      String literal = tokens.get(at++);
      if (!literal.startsWith("'")) {
        throw new IllegalArgumentException("unsupported literal in IN: " + literal);
      }
      values.add(unescape(literal.substring(1, literal.length() - 1)));
      String next = tokens.get(at++);
      if (next.equals(")")) {
        break;
      }
      if (!next.equals(",")) {
        throw new IllegalArgumentException("unexpected " + next + " in IN list");
      }
    }
    return r -> values.contains(r.path(field).asText(""));
  }

  private static String unescape(String s) {
    return s.replace("\\'", "'").replace("\\\"", "\"").replace("\\n", "\n").replace("\\r", "\r")
        .replace("\\t", "\t").replace("\\\\", "\\");
  }

  static Instant instant(String apiTime) {
    return OffsetDateTime.parse(apiTime, API_TIME).toInstant();
  }

  private static String sortKey(JsonNode record, String field) {
    String v = record.path(field).asText("");
    return field.endsWith("Date") || field.equals("SystemModstamp")
        ? String.format("%020d", instant(v).toEpochMilli()) : v;
  }
}
