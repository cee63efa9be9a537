package org.civicsync.crm.servicenow;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import okhttp3.HttpUrl;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmAdapterProvider;
import org.civicsync.crm.internal.LocationFields;

/**
 * Makes {@link ServiceNowCrm}s for configuration type {@code servicenow}. Settings:
 * {@code instance_url} and {@code auth} ({@code basic}: {@code user}, {@code password};
 * {@code oauth}: {@code client_id}, {@code client_secret}, and {@code user} with
 * {@code password} for the password grant, none for client credentials); optional
 * {@code table}, {@code user_time_zone}, {@code note_field}, {@code category_field},
 * {@code closed_states}, {@code resolve_state}, {@code close_code_field}, {@code close_code},
 * {@code latitude_field} with {@code longitude_field}, {@code address_field},
 * {@code connect_timeout_seconds}, {@code read_timeout_seconds}.
 */
public final class ServiceNowProvider implements CrmAdapterProvider {
  public static final String TYPE = "servicenow";
  private static final Set<String> KEYS = Set.of("instance_url", "auth", "user", "password",
      "client_id", "client_secret", "table", "user_time_zone", "note_field", "category_field",
      "closed_states", "resolve_state", "close_code_field", "close_code", "latitude_field",
      "longitude_field", "address_field", "connect_timeout_seconds", "read_timeout_seconds");

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Optional<CrmAdapter> create(String name, Map<String, ?> settings) {
    for (String key : settings.keySet()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(name + ": unknown setting '" + key
            + "' for a ServiceNow CRM: expected one of " + new TreeSet<>(KEYS));
      }
    }
    Setting s = new Setting(name, settings);
    HttpUrl instance = HttpUrl.parse(s.required("instance_url"));
    if (instance == null) {
      throw new IllegalArgumentException(name + ": instance_url is not an http(s) URL");
    }
    ServiceNowLogin login = switch (s.required("auth")) {
      case "basic" -> new ServiceNowLogin.Basic(s.required("user"), s.required("password"));
      case "oauth" -> new ServiceNowLogin.OAuth(s.required("client_id"),
          s.required("client_secret"), s.optional("user"), s.optional("password"));
      default -> throw new IllegalArgumentException(
          name + ": auth must be 'basic' or 'oauth', not '" + s.required("auth") + "'");
    };
    ServiceNowSettings defaults = ServiceNowSettings.incident(instance, login);
    String table = s.optional("table").orElse(defaults.table());
    boolean csm = table.equals("sn_customerservice_case");
    try {
      return Optional.of(ServiceNowCrm.create(name, new ServiceNowSettings(instance, table, login,
          s.optional("user_time_zone").map(ZoneId::of).orElse(defaults.userTimeZone()),
          s.optional("note_field").orElse(defaults.noteField()),
          s.optional("category_field").orElse(defaults.categoryField()),
          s.list("closed_states").orElse(csm ? Set.of("3", "6", "7") : defaults.closedStates()),
          s.optional("resolve_state").orElse(defaults.resolveState()),
          s.optional("close_code_field").orElse(csm ? "resolution_code" : "close_code"),
          s.optional("close_code").orElse(defaults.closeCode()),
          new LocationFields(s.optional("latitude_field"), s.optional("longitude_field"),
              s.optional("address_field")),
          s.seconds("connect_timeout_seconds").orElse(defaults.connectTimeout()),
          s.seconds("read_timeout_seconds").orElse(defaults.readTimeout()))));
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }

  /** Reads one adapter's settings, naming the adapter and key in every complaint. */
  private record Setting(String name, Map<String, ?> values) {
    String required(String key) {
      return optional(key).orElseThrow(() ->
          new IllegalArgumentException(name + ": setting '" + key + "' is required"));
    }

    Optional<String> optional(String key) {
      Object value = values.get(key);
      if (value == null) {
        return Optional.empty();
      }
      if (!(value instanceof String || value instanceof Number)) {
        throw new IllegalArgumentException(name + ": " + key + " must be a text");
      }
      return Optional.of(value.toString()).filter(v -> !v.isBlank());
    }

    Optional<Set<String>> list(String key) {
      Object value = values.get(key);
      if (value == null) {
        return Optional.empty();
      }
      if (!(value instanceof Collection<?> items)) {
        throw new IllegalArgumentException(name + ": " + key + " must be a list");
      }
      Set<String> set = new LinkedHashSet<>();
      items.forEach(item -> set.add(String.valueOf(item)));
      return Optional.of(set);
    }

    Optional<Duration> seconds(String key) {
      Object value = values.get(key);
      if (value == null) {
        return Optional.empty();
      }
      if (!(value instanceof Number n) || n.doubleValue() <= 0) {
        throw new IllegalArgumentException(name + ": " + key + " must be a positive number");
      }
      return Optional.of(Duration.ofMillis((long) (n.doubleValue() * 1000)));
    }
  }
}
