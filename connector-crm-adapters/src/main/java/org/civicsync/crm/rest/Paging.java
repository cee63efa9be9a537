package org.civicsync.crm.rest;

import com.fasterxml.jackson.core.JsonPointer;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How the CRM pages a list of changes, when one answer does not hold them all.
 *
 * @param style {@code none}: one answer holds every change since the time asked;
 *     {@code next_link}: {@code pointer} finds the next page's URL in the body;
 *     {@code cursor}: {@code pointer} finds a token, sent back as query parameter {@code param};
 *     {@code offset}: query parameter {@code param} counts the items read so far;
 *     {@code link_header}: an RFC 8288 {@code Link: <...>; rel="next"} header
 * @param maxPages how many of the CRM's pages one call of {@code changesSince} reads at most
 */
record Paging(String style, Optional<JsonPointer> pointer, Optional<String> param, int maxPages) {
  static final Set<String> STYLES = Set.of("none", "next_link", "cursor", "offset", "link_header");

  Paging {
    Objects.requireNonNull(style, "style == null");
    Objects.requireNonNull(pointer, "pointer == null");
    Objects.requireNonNull(param, "param == null");
    if (!STYLES.contains(style)) {
      throw new IllegalArgumentException("paging style must be one of " + STYLES);
    }
    if ((style.equals("next_link") || style.equals("cursor")) && pointer.isEmpty()) {
      throw new IllegalArgumentException("paging style " + style + " needs a pointer");
    }
    if ((style.equals("cursor") || style.equals("offset")) && param.isEmpty()) {
      throw new IllegalArgumentException("paging style " + style + " needs a query parameter");
    }
    if (maxPages < 1) {
      throw new IllegalArgumentException("maxPages must be at least 1");
    }
  }

  static Paging none() {
    return new Paging("none", Optional.empty(), Optional.empty(), 1);
  }
}
