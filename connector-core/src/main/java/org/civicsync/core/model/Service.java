package org.civicsync.core.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A category a citizen can report under. {@code keywords} and {@code groups} carry mySociety's
 * conventions: the keywords {@code private}, {@code inactive}, {@code staff} and
 * {@code waste_only}; a service may sit in several groups.
 */
public record Service(
    String code,
    String name,
    Optional<String> description,
    boolean metadata,
    ServiceType type,
    List<String> keywords,
    List<String> groups) {

  public Service {
    Objects.requireNonNull(code, "code == null");
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(description, "description == null");
    Objects.requireNonNull(type, "type == null");
    keywords = Text.copy(keywords, "keywords");
    groups = Text.copy(groups, "groups");
  }

  public boolean hasKeyword(String keyword) {
    return keywords.stream().anyMatch(k -> k.equalsIgnoreCase(keyword));
  }

  /** mySociety's convention: a {@code private} category's reports are not shown publicly. */
  public boolean isPrivate() {
    return hasKeyword("private");
  }

  public boolean isInactive() {
    return hasKeyword("inactive");
  }
}
