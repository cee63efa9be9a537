package org.civicsync.crm.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * One configured operation of the CRM's API: a method, a URL template relative to the base URL
 * ({@code /cases/{id}/notes}) and, for a write, a JSON body template.
 *
 * <p>In the URL, each {@code {placeholder}} is replaced by its value percent-encoded as a whole
 * (RFC 3986 unreserved characters only), so an external reference holding {@code &}, {@code /} or
 * {@code #} stays one path segment or one query value. In the body, a string that is exactly
 * {@code "{name}"} becomes the value with its JSON type (a number stays a number, an object an
 * object) or is left out when the report has no such value; a placeholder inside longer text is
 * replaced by the value's text.
 */
record Endpoint(String method, String url, Optional<JsonNode> body) {
  static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

  Endpoint {
    Objects.requireNonNull(method, "method == null");
    Objects.requireNonNull(url, "url == null");
    Objects.requireNonNull(body, "body == null");
  }

  boolean writes() {
    return !method.equals("GET");
  }

  /** The placeholders the URL names. */
  Set<String> urlPlaceholders() {
    return placeholders(url);
  }

  /** The placeholders the body template names, at any depth. */
  Set<String> bodyPlaceholders() {
    return body.map(Endpoint::placeholders).orElse(Set.of());
  }

  /** The placeholders a JSON template names, at any depth. */
  static Set<String> placeholders(JsonNode template) {
    Set<String> names = new LinkedHashSet<>();
    collect(template, names);
    return names;
  }

  HttpUrl url(HttpUrl base, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(url);
    StringBuilder expanded = new StringBuilder();
    while (m.find()) {
      String value = Objects.requireNonNull(values.get(m.group(1)), () -> "no value for {"
          + m.group(1) + "}");
      m.appendReplacement(expanded, Matcher.quoteReplacement(encode(value)));
    }
    m.appendTail(expanded);
    String root = base.toString();
    return HttpUrl.get((root.endsWith("/") ? root.substring(0, root.length() - 1) : root)
        + expanded);
  }

  /** The request body for {@code values}; the empty object when there is no template. */
  JsonNode body(Map<String, JsonNode> values) {
    return body.map(b -> expand(b, values)).orElseGet(JsonNodeFactory.instance::objectNode);
  }

  static Set<String> placeholders(String text) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static void collect(JsonNode node, Set<String> names) {
    if (node.isTextual()) {
      names.addAll(placeholders(node.asText()));
    }
    node.forEach(child -> collect(child, names));
  }

  private static JsonNode expand(JsonNode node, Map<String, JsonNode> values) {
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        Optional<String> whole = whole(field.getValue());
        if (whole.isPresent() && values.get(whole.get()) == null) {
          continue; // the report has no such value: leave the field out
        }
        out.set(field.getKey(), expand(field.getValue(), values));
      }
      return out;
    }
    if (node.isArray()) {
      var out = JsonNodeFactory.instance.arrayNode();
      node.forEach(item -> out.add(expand(item, values)));
      return out;
    }
    if (node.isTextual()) {
      Optional<String> whole = whole(node);
      if (whole.isPresent()) {
        JsonNode value = values.get(whole.get());
        return value == null ? JsonNodeFactory.instance.nullNode() : value;
      }
      Matcher m = PLACEHOLDER.matcher(node.asText());
      StringBuilder text = new StringBuilder();
      while (m.find()) {
        JsonNode value = values.get(m.group(1));
        m.appendReplacement(text, Matcher.quoteReplacement(value == null ? "" : value.asText()));
      }
      m.appendTail(text);
      return JsonNodeFactory.instance.textNode(text.toString());
    }
    return node;
  }

  private static Optional<String> whole(JsonNode node) {
    if (!node.isTextual()) {
      return Optional.empty();
    }
    Matcher m = PLACEHOLDER.matcher(node.asText());
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** Percent-encodes everything but RFC 3986's unreserved characters. */
  static String encode(String value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.write(c);
      } else {
        out.writeBytes(String.format("%%%02X", c).getBytes(StandardCharsets.US_ASCII));
      }
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public String toString() {
    return method + " " + url;
  }
}
