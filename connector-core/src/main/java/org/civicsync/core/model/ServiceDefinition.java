package org.civicsync.core.model;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The extra fields a service asks for. Attributes are held sorted by {@code order}. */
public record ServiceDefinition(String serviceCode, List<ServiceAttribute> attributes) {
  public ServiceDefinition {
    Objects.requireNonNull(serviceCode, "serviceCode == null");
    Objects.requireNonNull(attributes, "attributes == null");
    // A stable sort: attributes with equal order keep document order.
    attributes = attributes.stream()
        .sorted(Comparator.comparingInt(ServiceAttribute::order))
        .toList();
  }

  public Optional<ServiceAttribute> attribute(String code) {
    return attributes.stream().filter(a -> a.code().equals(code)).findFirst();
  }
}
