package org.civicsync.examples.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmAdapterRegistry;

/**
 * A jurisdiction's CRM: the adapter type, its name in logs and the store, and its settings with
 * every {@code ${env:...}} / {@code ${file:...}} reference resolved. A setting whose name says it
 * is secret (password, secret, token, key) must be a reference. {@link #toString()} shows the
 * setting names only.
 *
 * <pre>
 * crm:
 *   type: servicenow
 *   name: bristol-servicenow          # optional; default &lt;jurisdiction&gt;-&lt;type&gt;
 *   settings: { instance_url: https://bristol.service-now.com/, auth: basic,
 *               user: civicsync, password: ${env:SN_PASSWORD} }
 * </pre>
 */
public record CrmConfig(String type, String name, Map<String, Object> settings) {
  static final Set<String> KEYS = Set.of("type", "name", "settings");

  public CrmConfig {
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(name, "name == null");
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(
        Objects.requireNonNull(settings, "settings == null")));
  }

  /** A new adapter from {@code registry}; the caller closes it. */
  public CrmAdapter create(CrmAdapterRegistry registry) {
    return registry.create(type, name, settings);
  }

  /**
   * Whether the adapter this configuration makes offers {@code capability}; it is made and
   * closed again, as when the section was read.
   */
  public boolean offers(CrmAdapterRegistry registry,
      Class<? extends org.civicsync.core.spi.CrmCapability> capability) {
    try (CrmAdapter adapter = create(registry)) {
      return adapter.capability(capability).isPresent();
    }
  }

  @Override
  public String toString() {
    return "CrmConfig[type=" + type + ", name=" + name + ", settings=" + settings.keySet() + "]";
  }

  /**
   * Reads the {@code crm} section and, when it reads cleanly, asks {@code registry} for the
   * adapter (and closes it) so a bad setting is reported now, not on the first sync.
   */
  static Optional<CrmConfig> read(ConfigNode node, String jurisdiction, CrmAdapterRegistry registry) {
    node.allowOnly(KEYS);
    Optional<String> type = node.requiredText("type", "one of " + registry.types());
    type.filter(t -> !registry.types().contains(t.toLowerCase(Locale.ROOT))).ifPresent(t ->
        node.problems().add(node.path("type"), "unknown CRM type '" + t + "': installed types are "
            + registry.types() + " (add an adapter's jar to the class path for others)"));
    String name = node.text("name").orElse(jurisdiction + "-" + type.orElse("crm"));
    int before = node.problems().size();
    Map<String, Object> settings = new LinkedHashMap<>();
    node.section("settings").ifPresent(s -> s.keys().forEach(key ->
        settings.put(key, resolve(s.raw(key), s.path(key), key, node))));
    if (type.isEmpty() || node.problems().size() > before
        || !registry.types().contains(type.get().toLowerCase(Locale.ROOT))) {
      return Optional.empty();
    }
    CrmConfig config = new CrmConfig(type.get(), name, settings);
    try (CrmAdapter adapter = config.create(registry)) {
      Objects.requireNonNull(adapter, "adapter == null");
    } catch (IllegalArgumentException e) {
      node.problems().add(node.path("settings"), e.getMessage());
      return Optional.empty();
    }
    return Optional.of(config);
  }

  private static Object resolve(Object value, String path, String key, ConfigNode node) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k),
          resolve(v, path + "." + k, String.valueOf(k), node)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        out.add(resolve(list.get(i), path + "[" + i + "]", key, node));
      }
      return out;
    }
    if (value instanceof String text
        && (SecretResolver.isReference(text) || looksSecret(key))) {
      return node.secrets().resolve(text, path, node.problems()).map(Secret::value).orElse("");
    }
    return value;
  }

  private static boolean looksSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    if (k.endsWith("_url")) {
      return false; // an endpoint, a token endpoint too, is not a secret
    }
    return k.contains("password") || k.contains("secret") || k.contains("token")
        || k.endsWith("key");
  }
}
