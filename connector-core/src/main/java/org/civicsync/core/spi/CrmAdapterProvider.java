package org.civicsync.core.spi;

import java.util.Map;
import java.util.Optional;

/**
 * Makes adapters of one type from configuration. Installed providers are found with
 * {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/org.civicsync.core.spi.CrmAdapterProvider}. A provider needs a public
 * no-argument constructor and must be cheap to construct: connect in the adapter, not here.
 */
public interface CrmAdapterProvider {

  /** The type named in configuration, e.g. {@code salesforce}, {@code memory}. Lower case. */
  String type();

  /**
   * An adapter for these settings, or empty when they are not this provider's to serve (a
   * generic provider that only handles some flavours of its type): the registry then asks the
   * next provider of the same type.
   *
   * @param name the system's name, for {@link CrmAdapter#name()}
   * @param settings the adapter's configuration as parsed from YAML or JSON: strings, numbers,
   *     booleans, lists and maps
   * @throws IllegalArgumentException naming the setting that is missing or wrong
   */
  Optional<CrmAdapter> create(String name, Map<String, ?> settings);
}
