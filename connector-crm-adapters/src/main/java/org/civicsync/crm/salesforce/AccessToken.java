package org.civicsync.crm.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.crm.http.JsonCall;

/**
 * The org's access token, fetched from {@code /services/oauth2/token} with the configured grant
 * and kept until the REST API refuses it. Neither grant issues a refresh token, so a refused
 * token is replaced by asking again. The token is a cache, not sync state.
 */
final class AccessToken {
  private final String system;
  private final SalesforceSettings settings;
  private final OkHttpClient http;
  private final ObjectMapper json;
  private final Clock clock;
  private String token; // guarded by this

  AccessToken(String system, SalesforceSettings settings, OkHttpClient http, ObjectMapper json,
      Clock clock) {
    this.system = system;
    this.settings = settings;
    this.http = http;
    this.json = json;
    this.clock = clock;
  }

  synchronized String bearer(CrmOperation operation) {
    if (token == null) {
      token = request(operation);
    }
    return "Bearer " + token;
  }

  /** Forgets {@code refusedHeader}'s token; a newer one fetched meanwhile is kept. */
  synchronized void refused(String refusedHeader) {
    if (token != null && refusedHeader.equals("Bearer " + token)) {
      token = null;
    }
  }

  private String request(CrmOperation operation) {
    FormBody.Builder form = new FormBody.Builder();
    if (settings.login() instanceof SalesforceLogin.ClientCredentials cc) {
      form.add("grant_type", "client_credentials").add("client_id", cc.clientId())
          .add("client_secret", cc.clientSecret());
    } else {
      SalesforceLogin.JwtBearer jwt = (SalesforceLogin.JwtBearer) settings.login();
      form.add("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")
          .add("assertion", JwtAssertion.create(jwt, clock.instant()));
    }
    Request request = new Request.Builder().url(settings.tokenUrl())
        .header("Accept", "application/json").post(form.build()).build();
    try (Response response = http.newCall(request).execute()) {
      String body = response.body() == null ? "" : response.body().string();
      JsonNode answer = JsonCall.readOrEmpty(json, body);
      if (response.isSuccessful()) {
        String value = answer.path("access_token").asText("");
        if (value.isBlank()) {
          throw failure(CrmException.Kind.PERMANENT, operation,
              "/services/oauth2/token answered HTTP " + response.code() + " without an access_token");
        }
        return value;
      }
      // Documented: 400 {"error":"invalid_client","error_description":"invalid client credentials"}
      // or {"error":"invalid_grant","error_description":"user hasn't approved this consumer"}.
      String error = answer.path("error").asText("");
      String description = answer.path("error_description").asText("");
      String said = error.isEmpty() ? "" : ": " + error
          + (description.isEmpty() ? "" : " (" + description + ")");
      if (response.code() == 400 || response.code() == 401) {
        throw failure(CrmException.Kind.AUTHENTICATION, operation,
            "/services/oauth2/token refused " + settings.login() + " (HTTP " + response.code()
                + said + "): check the connected app's consumer key, secret or certificate, "
                + "its Run As or pre-authorised user, and the token URL");
      }
      CrmException.Kind kind = response.code() == 429 || response.code() >= 500
          ? CrmException.Kind.TRANSIENT : CrmException.Kind.PERMANENT;
      throw failure(kind, operation, "/services/oauth2/token answered HTTP " + response.code() + said);
    } catch (IOException e) {
      throw CrmException.of(CrmException.Kind.TRANSIENT, system, operation)
          .detail("no answer from /services/oauth2/token: " + e.getClass().getSimpleName())
          .cause(e).build();
    }
  }

  private CrmException failure(CrmException.Kind kind, CrmOperation operation, String detail) {
    return CrmException.of(kind, system, operation).detail(detail).build();
  }
}
