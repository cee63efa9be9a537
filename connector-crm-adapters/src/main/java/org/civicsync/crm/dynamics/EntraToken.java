package org.civicsync.crm.dynamics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.crm.http.JsonCall;

/**
 * The access token from Microsoft Entra ID's v2.0 token endpoint, by the client credentials
 * grant. It is kept until shortly before its {@code expires_in} runs out, and dropped early when
 * Dataverse refuses it (a revoked app, a rotated signing key). The grant issues no refresh token,
 * so a new one is asked for with the same credentials. The token is a cache, not sync state.
 */
final class EntraToken {
  /** Fetch a new token this long before the old one expires: clocks and requests take time. */
  static final Duration EARLY = Duration.ofMinutes(2);

  private final String system;
  private final EntraLogin login;
  private final OkHttpClient http;
  private final ObjectMapper json;
  private final Clock clock;
  private String token; // guarded by this
  private Instant renewAt = Instant.MIN; // guarded by this

  EntraToken(String system, EntraLogin login, OkHttpClient http, ObjectMapper json, Clock clock) {
    this.system = system;
    this.login = login;
    this.http = http;
    this.json = json;
    this.clock = clock;
  }

  /** The {@code Authorization} header value. */
  synchronized String bearer(CrmOperation operation) {
    if (token == null || !clock.instant().isBefore(renewAt)) {
      token = null;
      request(operation);
    }
    return "Bearer " + token;
  }

  /** Forgets {@code refusedHeader}'s token; a newer one fetched meanwhile is kept. */
  synchronized void refused(String refusedHeader) {
    if (token != null && refusedHeader.equals("Bearer " + token)) {
      token = null;
    }
  }

  private void request(CrmOperation operation) {
    // The documented form of the v2.0 endpoint's client credentials request.
    FormBody form = new FormBody.Builder()
        .add("client_id", login.clientId())
        .add("scope", login.scope())
        .add("client_secret", login.clientSecret())
        .add("grant_type", "client_credentials")
        .build();
    Request request = new Request.Builder().url(login.tokenUrl())
        .header("Accept", "application/json").post(form).build();
    Instant asked = clock.instant();
    try (Response response = http.newCall(request).execute()) {
      String body = response.body() == null ? "" : response.body().string();
      JsonNode answer = JsonCall.readOrEmpty(json, body);
      if (response.isSuccessful()) {
        String value = answer.path("access_token").asText("");
        if (value.isBlank()) {
          throw failure(CrmException.Kind.PERMANENT, operation,
              "the Entra ID token endpoint answered HTTP " + response.code()
                  + " without an access_token");
        }
        long seconds = answer.path("expires_in").asLong(0);
        token = value;
        renewAt = asked.plusSeconds(seconds).minus(EARLY);
        return;
      }
      // Documented: {"error":"invalid_client","error_description":"AADSTS7000215: Invalid client
      // secret provided. …","error_codes":[7000215],…}. The AADSTS code names the cause.
      String error = answer.path("error").asText("");
      String description = answer.path("error_description").asText("");
      String code = description.startsWith("AADSTS") && description.indexOf(':') > 0
          ? description.substring(0, description.indexOf(':')) : "";
      String said = error.isEmpty() ? "" : ": " + error + (code.isEmpty() ? "" : " " + code);
      if (response.code() == 400 || response.code() == 401) {
        throw failure(CrmException.Kind.AUTHENTICATION, operation,
            "Entra ID refused " + login + " (HTTP " + response.code() + said
                + "): check tenant_id, client_id, the client secret and its expiry, and that the"
                + " scope is the environment URL with /.default");
      }
      CrmException.Kind kind = response.code() == 429 || response.code() >= 500
          ? CrmException.Kind.TRANSIENT : CrmException.Kind.PERMANENT;
      throw failure(kind, operation,
          "the Entra ID token endpoint answered HTTP " + response.code() + said);
    } catch (IOException e) {
      throw CrmException.of(CrmException.Kind.TRANSIENT, system, operation)
          .detail("no answer from the Entra ID token endpoint " + login.tokenUrl().host() + ": "
              + e.getClass().getSimpleName())
          .cause(e).build();
    }
  }

  private CrmException failure(CrmException.Kind kind, CrmOperation operation, String detail) {
    return CrmException.of(kind, system, operation).detail(detail).build();
  }
}
