package org.civicsync.open311;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an endpoint says about itself. {@code changeset} values are kept as text: the spec's own
 * example writes them as {@code 2011-02-03 14:18}, which is not a W3C datetime.
 */
public record Discovery(
    Optional<String> changeset,
    Optional<String> contact,
    Optional<String> keyService,
    List<Endpoint> endpoints) {

  public Discovery {
    Objects.requireNonNull(changeset, "changeset == null");
    Objects.requireNonNull(contact, "contact == null");
    Objects.requireNonNull(keyService, "keyService == null");
    endpoints = List.copyOf(endpoints);
  }

  /** One advertised endpoint: its specification, URL, changeset, type and formats. */
  public record Endpoint(
      String specification,
      String url,
      Optional<String> changeset,
      Optional<String> type,
      List<String> formats) {
    public Endpoint {
      Objects.requireNonNull(specification, "specification == null");
      Objects.requireNonNull(url, "url == null");
      Objects.requireNonNull(changeset, "changeset == null");
      Objects.requireNonNull(type, "type == null");
      formats = List.copyOf(formats);
    }
  }
}
