package org.civicsync.crm.rest;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code rel="next"} target of RFC 8288 {@code Link} headers, e.g.
 * {@code Link: <https://crm/cases?page=3>; rel="next", <https://crm/cases?page=9>; rel="last"}.
 * A {@code rel} may list several relation types ({@code rel="next last"}); types compare
 * case-insensitively; a link-value may carry other parameters, quoted or not, in any order.
 */
final class LinkHeader {
  private static final Pattern LINK = Pattern.compile("<([^>]*)>((?:\\s*;\\s*[^;,=\\s]+"
      + "(?:\\s*=\\s*(?:\"(?:[^\"\\\\]|\\\\.)*\"|[^;,\\s]*))?)*)");
  private static final Pattern PARAM = Pattern.compile(
      ";\\s*([^;,=\\s]+)(?:\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^;,\\s]*)))?");

  private LinkHeader() {}

  /** The target of the first link whose relation types include {@code next}. */
  static Optional<String> next(List<String> headers) {
    for (String header : headers) {
      Matcher link = LINK.matcher(header);
      while (link.find()) {
        Matcher param = PARAM.matcher(link.group(2));
        while (param.find()) {
          if (!param.group(1).equalsIgnoreCase("rel")) {
            continue;
          }
          String value = param.group(2) != null ? param.group(2) : param.group(3);
          if (value != null && List.of(value.trim().toLowerCase(Locale.ROOT).split("\\s+"))
              .contains("next")) {
            return Optional.of(link.group(1).trim());
          }
          break; // RFC 8288 section 3.3: only the first rel parameter counts
        }
      }
    }
    return Optional.empty();
  }
}
