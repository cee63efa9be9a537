package org.civicsync.crm.open311;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmAdapterProvider;
import org.civicsync.crm.internal.Settings;
import org.civicsync.open311.Format;

/**
 * Makes {@link Open311Crm}s for configuration type {@code open311}. Settings: {@code endpoint};
 * optional {@code api_key}, {@code jurisdiction_id}, {@code format} ({@code xml} or
 * {@code json}), {@code update_extension} (default true), {@code extended_statuses} (default
 * true), {@code reference_attribute} (default {@code civicsync_reference}),
 * {@code lookup_window_days} (default 7), {@code feed_window_days} (default 30),
 * {@code connect_timeout_seconds}, {@code read_timeout_seconds}.
 */
public final class Open311Provider implements CrmAdapterProvider {
  public static final String TYPE = "open311";
  private static final Set<String> KEYS = Set.of("endpoint", "api_key", "jurisdiction_id",
      "format", "update_extension", "extended_statuses", "reference_attribute",
      "lookup_window_days", "feed_window_days", "connect_timeout_seconds",
      "read_timeout_seconds");

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Optional<CrmAdapter> create(String name, Map<String, ?> values) {
    Settings s = Settings.of(name, "an Open311 back office", values, KEYS);
    Open311CrmSettings defaults = Open311CrmSettings.withUpdates(s.required("endpoint"), null);
    try {
      return Optional.of(Open311Crm.create(name, new Open311CrmSettings(
          defaults.endpoint(),
          s.optional("api_key"),
          s.optional("jurisdiction_id"),
          s.optional("format").map(Format::parse).orElse(defaults.format()),
          flag(s, "update_extension", true),
          flag(s, "extended_statuses", true),
          s.optional("reference_attribute").orElse(defaults.referenceAttribute()),
          days(s, "lookup_window_days").orElse(defaults.lookupWindow()),
          days(s, "feed_window_days").orElse(defaults.feedWindow()),
          s.seconds("connect_timeout_seconds").orElse(defaults.connectTimeout()),
          s.seconds("read_timeout_seconds").orElse(defaults.readTimeout()),
          Clock.systemUTC())));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }

  private static boolean flag(Settings s, String key, boolean otherwise) {
    return s.optional(key).map(v -> switch (v) {
      case "true" -> true;
      case "false" -> false;
      default -> throw s.wrong(key + " must be true or false, not '" + v + "'");
    }).orElse(otherwise);
  }

  private static Optional<Duration> days(Settings s, String key) {
    return s.number(key).map(d -> {
      if (d <= 0 || d > 3650) {
        throw s.wrong(key + " must be between 0 and 3650 days, was " + d);
      }
      return Duration.ofMillis((long) (d * 86_400_000L));
    });
  }
}
