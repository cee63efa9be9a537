package org.civicsync.crm.dynamics;

import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * The app registration the connector signs in to Microsoft Entra ID with, by the OAuth 2.0 client
 * credentials grant, as an application user of the Dataverse environment. The secret stays in
 * here: {@link #toString()} names the tenant and the client, never the secret.
 *
 * @param loginUrl the Entra ID authority host, {@code https://login.microsoftonline.com} in the
 *     public cloud (another host for a national cloud, a loopback server in tests)
 * @param tenantId the directory (tenant) id or a verified domain of the tenant
 * @param clientId the application (client) id
 * @param clientSecret a client secret of the app registration
 * @param scope what the token is for: the environment URL followed by {@code /.default}
 */
public record EntraLogin(
    HttpUrl loginUrl, String tenantId, String clientId, String clientSecret, String scope) {

  public EntraLogin {
    Objects.requireNonNull(loginUrl, "loginUrl == null");
    Objects.requireNonNull(tenantId, "tenantId == null");
    Objects.requireNonNull(clientId, "clientId == null");
    Objects.requireNonNull(clientSecret, "clientSecret == null");
    Objects.requireNonNull(scope, "scope == null");
    if (tenantId.isBlank() || tenantId.contains("/")) {
      throw new IllegalArgumentException("tenant_id must be a tenant id or domain, not '" + tenantId + "'");
    }
  }

  /** The client credentials login of the public cloud for {@code environment}. */
  public static EntraLogin of(
      HttpUrl environment, String tenantId, String clientId, String clientSecret) {
    return new EntraLogin(HttpUrl.get("https://login.microsoftonline.com/"), tenantId, clientId,
        clientSecret, defaultScope(environment));
  }

  /** {@code https://council.crm11.dynamics.com/.default}: every permission the app was given. */
  public static String defaultScope(HttpUrl environment) {
    return environment.newBuilder().encodedPath("/").build() + ".default";
  }

  /** {@code {loginUrl}/{tenant}/oauth2/v2.0/token}. */
  HttpUrl tokenUrl() {
    return loginUrl.newBuilder().addPathSegment(tenantId).addPathSegments("oauth2/v2.0/token")
        .build();
  }

  public EntraLogin withLoginUrl(HttpUrl value) {
    return new EntraLogin(value, tenantId, clientId, clientSecret, scope);
  }

  public EntraLogin withClientSecret(String value) {
    return new EntraLogin(loginUrl, tenantId, clientId, value, scope);
  }

  @Override
  public String toString() {
    return "EntraLogin[tenant=" + tenantId + ", clientId=" + clientId + "]";
  }
}
