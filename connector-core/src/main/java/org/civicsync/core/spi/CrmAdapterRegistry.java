package org.civicsync.core.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Finds the provider for a configured CRM type and asks it for an adapter.
 *
 * <p>Providers are asked in order, first those registered on the {@link Builder}, then those
 * installed (found by {@link ServiceLoader}); the first that answers wins. So an explicitly
 * registered provider overrides an installed one of the same type, and a provider that answers
 * empty passes the request down the chain.
 */
public final class CrmAdapterRegistry {
  private final List<CrmAdapterProvider> providers;

  private CrmAdapterRegistry(List<CrmAdapterProvider> providers) {
    this.providers = List.copyOf(providers);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Only the providers installed on the class path. */
  public static CrmAdapterRegistry installed() {
    return builder().addInstalled().build();
  }

  /** Every type some provider claims, sorted. */
  public Set<String> types() {
    Set<String> types = new TreeSet<>();
    providers.forEach(p -> types.add(p.type()));
    return java.util.Collections.unmodifiableSet(types);
  }

  public List<CrmAdapterProvider> providers() {
    return providers;
  }

  /**
   * An adapter of {@code type} named {@code name}.
   *
   * @throws IllegalArgumentException when no provider of that type answers, naming the known
   *     types; or from the provider, naming the bad setting
   */
  public CrmAdapter create(String type, String name, Map<String, ?> settings) {
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(settings, "settings == null");
    boolean typeKnown = false;
    for (CrmAdapterProvider provider : providers) {
      if (!provider.type().equalsIgnoreCase(type)) {
        continue;
      }
      typeKnown = true;
      Optional<CrmAdapter> adapter = provider.create(name, settings);
      Objects.requireNonNull(adapter, () -> provider.getClass().getName() + " returned null");
      if (adapter.isPresent()) {
        return adapter.get();
      }
    }
    throw new IllegalArgumentException(typeKnown
        ? "no provider of CRM type '" + type + "' accepted the settings of '" + name + "'"
        : "unknown CRM type '" + type + "' for '" + name + "': known types are " + types());
  }

  /** Collects providers; single use. */
  public static final class Builder {
    private final List<CrmAdapterProvider> explicit = new ArrayList<>();
    private final List<CrmAdapterProvider> installed = new ArrayList<>();

    private Builder() {}

    public Builder add(CrmAdapterProvider provider) {
      explicit.add(Objects.requireNonNull(provider, "provider == null"));
      return this;
    }

    /** Registers a factory for {@code type} that always answers. */
    public Builder add(String type, BiFunction<String, Map<String, ?>, CrmAdapter> factory) {
      Objects.requireNonNull(type, "type == null");
      Objects.requireNonNull(factory, "factory == null");
      return add(new CrmAdapterProvider() {
        @Override
        public String type() {
          return type;
        }

        @Override
        public Optional<CrmAdapter> create(String name, Map<String, ?> settings) {
          return Optional.of(Objects.requireNonNull(factory.apply(name, settings),
              () -> "factory for CRM type '" + type + "' returned null"));
        }
      });
    }

    /** Adds the providers {@link ServiceLoader} finds with the context class loader. */
    public Builder addInstalled() {
      return addInstalled(Thread.currentThread().getContextClassLoader());
    }

    public Builder addInstalled(ClassLoader loader) {
      ServiceLoader.load(CrmAdapterProvider.class, loader).forEach(installed::add);
      return this;
    }

    public CrmAdapterRegistry build() {
      List<CrmAdapterProvider> all = new ArrayList<>(explicit);
      all.addAll(installed);
      return new CrmAdapterRegistry(all);
    }
  }
}
