package org.civicsync.crm.dynamics;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmAdapterProvider;
import org.civicsync.crm.internal.LocationFields;
import org.civicsync.crm.internal.Settings;

/**
 * Makes {@link DynamicsCrm}s for configuration type {@code dynamics}. Required settings:
 * {@code environment_url}, {@code tenant_id}, {@code client_id}, {@code client_secret} and
 * {@code customer} ({@code accounts(<guid>)} or {@code contacts(<guid>)}). Optional:
 * {@code login_url}, {@code scope}, {@code api_version}, {@code alternate_key_column},
 * {@code update_id_column}, {@code case_type_column}, {@code case_origin_code},
 * {@code close_status}, {@code resolved_statuses}, {@code cancelled_statuses}, {@code page_size},
 * {@code change_tracking}, {@code latitude_column} with {@code longitude_column},
 * {@code address_column},
 * {@code connect_timeout_seconds}, {@code read_timeout_seconds}.
 */
public final class DynamicsProvider implements CrmAdapterProvider {
  public static final String TYPE = "dynamics";
  private static final Set<String> KEYS = Set.of("environment_url", "tenant_id", "client_id",
      "client_secret", "customer", "login_url", "scope", "api_version", "alternate_key_column",
      "update_id_column", "case_type_column", "case_origin_code", "close_status",
      "resolved_statuses", "cancelled_statuses", "page_size", "change_tracking",
      "latitude_column", "longitude_column", "address_column",
      "connect_timeout_seconds",
      "read_timeout_seconds");

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Optional<CrmAdapter> create(String name, Map<String, ?> values) {
    Settings s = Settings.of(name, "a Dynamics 365 CRM", values, KEYS);
    HttpUrl environment = url(s, "environment_url", s.required("environment_url"));
    HttpUrl loginUrl = url(s, "login_url",
        s.optional("login_url").orElse("https://login.microsoftonline.com/"));
    try {
      EntraLogin login = new EntraLogin(loginUrl, s.required("tenant_id"), s.required("client_id"),
          s.required("client_secret"),
          s.optional("scope").orElse(EntraLogin.defaultScope(environment)));
      DynamicsSettings d = DynamicsSettings.of(environment, login, s.required("customer"));
      return Optional.of(DynamicsCrm.create(name, new DynamicsSettings(
          environment,
          s.optional("api_version").orElse(d.apiVersion()),
          login,
          d.customer(),
          s.optional("alternate_key_column").orElse(d.alternateKeyColumn()),
          s.optional("update_id_column").orElse(d.updateIdColumn()),
          s.optional("case_type_column").orElse(d.caseTypeColumn()),
          s.integer("case_origin_code").orElse(d.caseOriginCode()),
          s.optional("close_status").orElse(d.closeStatus()),
          s.list("resolved_statuses").orElse(d.resolvedStatuses()),
          s.list("cancelled_statuses").orElse(d.cancelledStatuses()),
          new LocationFields(s.optional("latitude_column"), s.optional("longitude_column"),
              s.optional("address_column")),
          s.integer("page_size").orElse(d.pageSize()),
          flag(s, "change_tracking").orElse(d.changeTracking()),
          s.seconds("connect_timeout_seconds").orElse(d.connectTimeout()),
          s.seconds("read_timeout_seconds").orElse(d.readTimeout()))));
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(name + ": ")) {
        throw e;
      }
      throw s.wrong(e.getMessage());
    }
  }

  private static Optional<Boolean> flag(Settings s, String key) {
    return s.optional(key).map(v -> switch (v) {
      case "true" -> true;
      case "false" -> false;
      default -> throw s.wrong(key + " must be true or false, not '" + v + "'");
    });
  }

  private static HttpUrl url(Settings s, String key, String value) {
    HttpUrl url = HttpUrl.parse(value);
    if (url == null) {
      throw s.wrong(key + " is not an http(s) URL");
    }
    return url;
  }
}
