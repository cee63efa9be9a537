package org.civicsync.crm.rest;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * How the adapter proves who it is to the CRM. {@code toString()} never shows a secret.
 */
sealed interface RestAuth {
  /** The styles as written in configuration ({@code auth.type}). */
  Set<String> TYPES = Set.of("none", "basic", "bearer", "api_key", "oauth2_client_credentials");

  /** No credentials: a CRM behind a private network or a mutual-TLS proxy. */
  record None() implements RestAuth {}

  /** HTTP Basic (RFC 7617). */
  record Basic(String user, String password) implements RestAuth {
    public Basic {
      Objects.requireNonNull(user, "user == null");
      Objects.requireNonNull(password, "password == null");
    }

    @Override
    public String toString() {
      return "Basic[user=" + user + "]";
    }
  }

  /** A fixed bearer token (RFC 6750), e.g. a personal access token of the integration user. */
  record Bearer(String token) implements RestAuth {
    public Bearer {
      Objects.requireNonNull(token, "token == null");
    }

    @Override
    public String toString() {
      return "Bearer[token=<redacted>]";
    }
  }

  /** A key sent in a header of the CRM's choosing, e.g. {@code X-API-Key}. */
  record ApiKey(String header, String key) implements RestAuth {
    public ApiKey {
      Objects.requireNonNull(header, "header == null");
      Objects.requireNonNull(key, "key == null");
    }

    @Override
    public String toString() {
      return "ApiKey[header=" + header + "]";
    }
  }

  /**
   * The OAuth 2.0 client credentials grant (RFC 6749 section 4.4): a token from
   * {@code tokenUrl}, the client authenticating with HTTP Basic (the method every server must
   * accept, section 2.3.1) or with {@code client_id} and {@code client_secret} in the form.
   */
  record ClientCredentials(HttpUrl tokenUrl, String clientId, String clientSecret,
      Optional<String> scope, boolean secretInForm) implements RestAuth {
    public ClientCredentials {
      Objects.requireNonNull(tokenUrl, "tokenUrl == null");
      Objects.requireNonNull(clientId, "clientId == null");
      Objects.requireNonNull(clientSecret, "clientSecret == null");
      Objects.requireNonNull(scope, "scope == null");
    }

    @Override
    public String toString() {
      return "ClientCredentials[tokenUrl=" + tokenUrl + ", clientId=" + clientId + "]";
    }
  }
}
