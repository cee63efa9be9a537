package org.civicsync.crm.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.crm.http.HttpFailure;
import org.civicsync.crm.http.JsonCall;

/**
 * Puts the configured {@link RestAuth} on a request. For the OAuth client credentials grant it
 * keeps the current access token (a cache, not sync state), fetches a new one when the old one
 * has passed its {@code expires_in}, and drops it when the CRM refuses it, so that the one
 * repeat after a 401 goes out with a fresh token.
 */
final class Credentials {
  /** A token this close to its expiry is renewed before use rather than sent to be refused. */
  private static final long EARLY_SECONDS = 30;

  private final String system;
  private final RestAuth auth;
  private final OkHttpClient http;
  private final ObjectMapper json;
  private final Clock clock;
  private String accessToken; // guarded by this
  private Instant expires = Instant.MAX; // guarded by this

  Credentials(String system, RestAuth auth, OkHttpClient http, ObjectMapper json, Clock clock) {
    this.system = system;
    this.auth = auth;
    this.http = http;
    this.json = json;
    this.clock = clock;
  }

  /** True when a refused request may be repeated with fresh credentials. */
  boolean refreshable() {
    return auth instanceof RestAuth.ClientCredentials;
  }

  /** The header name and value to send, or empty for {@code none}. */
  synchronized Optional<String[]> header(CrmOperation operation) {
    if (auth instanceof RestAuth.Basic basic) {
      return Optional.of(new String[] {"Authorization",
          okhttp3.Credentials.basic(basic.user(), basic.password())});
    } else if (auth instanceof RestAuth.Bearer bearer) {
      return Optional.of(new String[] {"Authorization", "Bearer " + bearer.token()});
    } else if (auth instanceof RestAuth.ApiKey key) {
      return Optional.of(new String[] {key.header(), key.key()});
    } else if (auth instanceof RestAuth.ClientCredentials grant) {
      if (accessToken == null || !clock.instant().isBefore(expires)) {
        requestToken(grant, operation);
      }
      return Optional.of(new String[] {"Authorization", "Bearer " + accessToken});
    }
    return Optional.empty();
  }

  /** Forgets the token sent in {@code refused}; a newer one another thread fetched is kept. */
  synchronized void refused(Optional<String[]> refused) {
    if (accessToken != null && refused.isPresent()
        && refused.get()[1].equals("Bearer " + accessToken)) {
      accessToken = null;
    }
  }

  private void requestToken(RestAuth.ClientCredentials grant, CrmOperation operation) {
    FormBody.Builder form = new FormBody.Builder().add("grant_type", "client_credentials");
    grant.scope().ifPresent(scope -> form.add("scope", scope));
    Request.Builder request = new Request.Builder().url(grant.tokenUrl())
        .header("Accept", "application/json");
    if (grant.secretInForm()) {
      form.add("client_id", grant.clientId()).add("client_secret", grant.clientSecret());
    } else {
      request.header("Authorization",
          okhttp3.Credentials.basic(grant.clientId(), grant.clientSecret()));
    }
    Instant asked = clock.instant();
    try (Response response = http.newCall(request.post(form.build()).build()).execute()) {
      String text = response.body() == null ? "" : response.body().string();
      JsonNode body = JsonCall.readOrEmpty(json, text);
      if (response.isSuccessful()) {
        String token = body.path("access_token").asText("");
        if (token.isBlank()) {
          throw failure(CrmException.Kind.PERMANENT, operation, grant.tokenUrl().encodedPath()
              + " answered HTTP " + response.code() + " without an access_token");
        }
        accessToken = token;
        long seconds = body.path("expires_in").asLong(0);
        expires = seconds > 0 ? asked.plusSeconds(Math.max(1, seconds - EARLY_SECONDS))
            : Instant.MAX;
        return;
      }
      // RFC 6749 section 5.2: 400 or 401 with {"error":"invalid_client", ...}.
      String error = body.path("error").asText("");
      CrmException.Kind kind = response.code() == 400 || response.code() == 401
          ? CrmException.Kind.AUTHENTICATION : HttpFailure.kindOf(response.code());
      throw failure(kind, operation, "token endpoint " + grant.tokenUrl().encodedPath()
          + " answered HTTP " + response.code() + (error.isBlank() ? "" : " " + error)
          + (kind == CrmException.Kind.AUTHENTICATION
              ? ": check client_id and client_secret of " + grant : ""));
    } catch (IOException e) {
      throw CrmException.of(CrmException.Kind.TRANSIENT, system, operation)
          .detail("no answer from the token endpoint (" + e.getClass().getSimpleName() + ")")
          .cause(e).build();
    }
  }

  private CrmException failure(CrmException.Kind kind, CrmOperation operation, String detail) {
    return CrmException.of(kind, system, operation).detail(detail).build();
  }
}
