package org.civicsync.examples.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole configuration of a connector, checked: {@link ConfigFile} builds it only when there
 * is no error anywhere in the file.
 */
public record ConnectorConfig(StoreConfig store, OperationConfig operation,
    List<JurisdictionConfig> jurisdictions) {

  public ConnectorConfig {
    Objects.requireNonNull(store, "store == null");
    Objects.requireNonNull(operation, "operation == null");
    jurisdictions = List.copyOf(Objects.requireNonNull(jurisdictions, "jurisdictions == null"));
    if (jurisdictions.isEmpty()) {
      throw new IllegalArgumentException("a connector needs at least one jurisdiction");
    }
  }

  public Optional<JurisdictionConfig> jurisdiction(String id) {
    return jurisdictions.stream().filter(j -> j.id().equals(id)).findFirst();
  }
}
