package org.civicsync.core.crm.memory;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmAdapterProvider;

/**
 * Makes {@link InMemoryCrm}s for configuration type {@code memory}. Settings, all optional:
 * {@code initial_status_code}, {@code closed_status_codes} (a list), {@code closing_status_code},
 * {@code honour_idempotency_keys}. Its clock is the system's, in UTC.
 */
public final class InMemoryCrmProvider implements CrmAdapterProvider {
  public static final String TYPE = "memory";
  private static final Set<String> KEYS = Set.of("initial_status_code", "closed_status_codes",
      "closing_status_code", "honour_idempotency_keys");

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Optional<CrmAdapter> create(String name, Map<String, ?> settings) {
    for (String key : settings.keySet()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(
            name + ": unknown setting '" + key + "' for a memory CRM: expected one of "
                + new java.util.TreeSet<>(KEYS));
      }
    }
    InMemoryCrm.Builder b = InMemoryCrm.builder().name(name);
    text(name, settings, "initial_status_code").ifPresent(b::initialStatusCode);
    text(name, settings, "closing_status_code").ifPresent(b::closingStatusCode);
    Object closed = settings.get("closed_status_codes");
    if (closed != null) {
      if (!(closed instanceof Collection<?> codes)) {
        throw new IllegalArgumentException(name + ": closed_status_codes must be a list");
      }
      Set<String> set = new LinkedHashSet<>();
      codes.forEach(code -> set.add(String.valueOf(code)));
      b.closedStatusCodes(set);
    }
    Object honour = settings.get("honour_idempotency_keys");
    if (honour != null) {
      if (!(honour instanceof Boolean flag)) {
        throw new IllegalArgumentException(
            name + ": honour_idempotency_keys must be true or false, not '" + honour + "'");
      }
      b.honourIdempotencyKeys(flag);
    }
    return Optional.of(b.build());
  }

  private static Optional<String> text(String name, Map<String, ?> settings, String key) {
    Object value = settings.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String || value instanceof Number)) {
      throw new IllegalArgumentException(name + ": " + key + " must be a text, not " + value);
    }
    return Optional.of(value.toString());
  }
}
