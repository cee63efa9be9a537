package org.civicsync.core.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One field of a service definition. {@code automated} is mySociety's extension:
 * {@code server_set} (FixMyStreet fills it, e.g. easting, fixmystreet_id) or {@code hidden_field}.
 */
public record ServiceAttribute(
    String code,
    Datatype datatype,
    Optional<String> datatypeDescription,
    Optional<String> description,
    int order,
    boolean required,
    boolean variable,
    List<AttributeValue> values,
    Optional<String> automated) {

  public ServiceAttribute {
    Objects.requireNonNull(code, "code == null");
    Objects.requireNonNull(datatype, "datatype == null");
    Objects.requireNonNull(datatypeDescription, "datatypeDescription == null");
    Objects.requireNonNull(description, "description == null");
    values = Text.copy(values, "values");
    Objects.requireNonNull(automated, "automated == null");
  }

  /** True when FixMyStreet itself fills this attribute rather than the citizen. */
  public boolean isServerSet() {
    return automated.filter("server_set"::equals).isPresent();
  }
}
