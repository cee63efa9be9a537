package org.civicsync.crm.salesforce;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmAdapterProvider;
import org.civicsync.crm.internal.LocationFields;
import org.civicsync.crm.internal.Settings;

/**
 * Makes {@link SalesforceCrm}s for configuration type {@code salesforce}. Settings:
 * {@code instance_url} (the My Domain) and {@code auth}: {@code client_credentials} with
 * {@code client_id}, {@code client_secret}; or {@code jwt_bearer} with {@code client_id},
 * {@code username}, {@code private_key} (PKCS#8 PEM) and optional {@code audience}. Optional:
 * {@code token_url}, {@code api_version}, {@code idempotency_key_field},
 * {@code external_reference_field}, {@code update_id_field}, {@code case_type_field},
 * {@code origin}, {@code closed_status}, {@code latitude_field} with {@code longitude_field},
 * {@code address_field}, {@code api_quota_ceiling},
 * {@code api_quota_pause_seconds}, {@code query_batch_size}, {@code connect_timeout_seconds},
 * {@code read_timeout_seconds}.
 */
public final class SalesforceProvider implements CrmAdapterProvider {
  public static final String TYPE = "salesforce";
  private static final Set<String> KEYS = Set.of("instance_url", "token_url", "api_version",
      "auth", "client_id", "client_secret", "username", "private_key", "audience",
      "idempotency_key_field", "external_reference_field", "update_id_field", "case_type_field",
      "origin", "closed_status", "latitude_field", "longitude_field", "address_field",
      "api_quota_ceiling", "api_quota_pause_seconds",
      "query_batch_size", "connect_timeout_seconds", "read_timeout_seconds");

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Optional<CrmAdapter> create(String name, Map<String, ?> values) {
    Settings s = Settings.of(name, "a Salesforce CRM", values, KEYS);
    HttpUrl instance = url(s, "instance_url", s.required("instance_url"));
    SalesforceLogin login = switch (s.required("auth")) {
      case "client_credentials" -> new SalesforceLogin.ClientCredentials(
          s.required("client_id"), s.required("client_secret"));
      case "jwt_bearer" -> new SalesforceLogin.JwtBearer(s.required("client_id"),
          s.required("username"), JwtAssertion.readPrivateKey(s.required("private_key")),
          s.optional("audience").orElse("https://login.salesforce.com"));
      default -> throw s.wrong("auth must be 'client_credentials' or 'jwt_bearer', not '"
          + s.required("auth") + "'");
    };
    SalesforceSettings d = SalesforceSettings.of(instance, login);
    try {
      return Optional.of(SalesforceCrm.create(name, new SalesforceSettings(
          instance,
          s.optional("token_url").map(u -> url(s, "token_url", u)).orElse(instance),
          s.optional("api_version").orElse(d.apiVersion()),
          login,
          s.optional("idempotency_key_field").orElse(d.idempotencyKeyField()),
          s.optional("external_reference_field").orElse(d.externalReferenceField()),
          s.optional("update_id_field").orElse(d.updateIdField()),
          s.optional("case_type_field").orElse(d.caseTypeField()),
          s.optional("origin").orElse(d.origin()),
          s.optional("closed_status").orElse(d.closedStatus()),
          new LocationFields(s.optional("latitude_field"), s.optional("longitude_field"),
              s.optional("address_field")),
          s.number("api_quota_ceiling").orElse(d.quotaCeiling()),
          s.seconds("api_quota_pause_seconds").orElse(d.quotaPause()),
          s.integer("query_batch_size").orElse(d.queryBatchSize()),
          s.seconds("connect_timeout_seconds").orElse(d.connectTimeout()),
          s.seconds("read_timeout_seconds").orElse(d.readTimeout()))));
    } catch (IllegalArgumentException e) {
      throw s.wrong(e.getMessage());
    }
  }

  private static HttpUrl url(Settings s, String key, String value) {
    HttpUrl url = HttpUrl.parse(value);
    if (url == null) {
      throw s.wrong(key + " is not an http(s) URL");
    }
    return url;
  }
}
