package org.civicsync.crm.servicenow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.crm.http.JsonCall;

/**
 * Answers the {@code Authorization} header for the integration user. With OAuth it keeps the
 * current access token (the one piece of state an adapter may hold: it is a cache, not sync
 * state) and fetches a new one from {@code /oauth_token.do} when the Table API refuses it.
 */
final class IntegrationUser {
  private final String system;
  private final ServiceNowSettings settings;
  private final OkHttpClient http;
  private final ObjectMapper json;
  private String accessToken; // guarded by this

  IntegrationUser(String system, ServiceNowSettings settings, OkHttpClient http, ObjectMapper json) {
    this.system = system;
    this.settings = settings;
    this.http = http;
    this.json = json;
  }

  /** True when a refused header can be replaced by a fresh one (OAuth), false for Basic. */
  boolean refreshable() {
    return settings.login() instanceof ServiceNowLogin.OAuth;
  }

  synchronized String authorization(CrmOperation operation) {
    if (settings.login() instanceof ServiceNowLogin.Basic basic) {
      return okhttp3.Credentials.basic(basic.user(), basic.password());
    }
    if (accessToken == null) {
      accessToken = requestToken((ServiceNowLogin.OAuth) settings.login(), operation);
    }
    return "Bearer " + accessToken;
  }

  /** Forgets {@code refused} so the next call fetches a new token; a newer token is kept. */
  synchronized void refused(String refusedHeader) {
    if (accessToken != null && refusedHeader.equals("Bearer " + accessToken)) {
      accessToken = null;
    }
  }

  private String requestToken(ServiceNowLogin.OAuth oauth, CrmOperation operation) {
    FormBody.Builder form = new FormBody.Builder()
        .add("grant_type", oauth.user().isPresent() ? "password" : "client_credentials")
        .add("client_id", oauth.clientId())
        .add("client_secret", oauth.clientSecret());
    oauth.user().ifPresent(user -> form.add("username", user));
    oauth.password().ifPresent(password -> form.add("password", password));
    Request request = new Request.Builder()
        .url(settings.instance().newBuilder().addPathSegment("oauth_token.do").build())
        .header("Accept", "application/json")
        .post(form.build())
        .build();
    try (Response response = http.newCall(request).execute()) {
      String body = response.body() == null ? "" : response.body().string();
      if (response.isSuccessful()) {
        return Optional.ofNullable(json.readTree(body).get("access_token"))
            .map(JsonNode::asText).filter(t -> !t.isBlank())
            .orElseThrow(() -> failure(CrmException.Kind.PERMANENT, operation,
                "/oauth_token.do answered HTTP " + response.code() + " without an access_token"));
      }
      if (response.code() == 400 || response.code() == 401) {
        // The instance answers e.g. {"error_description":"access_denied","error":"server_error"}.
        throw failure(CrmException.Kind.AUTHENTICATION, operation,
            "/oauth_token.do refused the credentials of " + oauth + " (HTTP " + response.code()
                + oauthError(body) + "): check client_id, client_secret and the user's password");
      }
      CrmException.Kind kind = response.code() == 429 || response.code() >= 500
          ? CrmException.Kind.TRANSIENT : CrmException.Kind.PERMANENT;
      throw failure(kind, operation, "/oauth_token.do answered HTTP " + response.code());
    } catch (IOException e) {
      throw CrmException.of(CrmException.Kind.TRANSIENT, system, operation)
          .detail("no answer from /oauth_token.do: " + e.getClass().getSimpleName()).cause(e)
          .build();
    }
  }

  private String oauthError(String body) {
    JsonNode node = JsonCall.readOrEmpty(json, body);
    return node.hasNonNull("error_description")
        ? ": " + node.get("error_description").asText() : "";
  }

  private CrmException failure(CrmException.Kind kind, CrmOperation operation, String detail) {
    return CrmException.of(kind, system, operation).detail(Objects.requireNonNull(detail)).build();
  }
}
