package org.civicsync.crm.servicenow;

import java.util.Objects;
import java.util.Optional;

/**
 * The credentials of the integration user. Secrets stay in here: {@link #toString()} names the
 * kind and the user, never a password or client secret.
 */
public sealed interface ServiceNowLogin {

  /** HTTP Basic with the integration user's name and password. */
  record Basic(String user, String password) implements ServiceNowLogin {
    public Basic {
      Objects.requireNonNull(user, "user == null");
      Objects.requireNonNull(password, "password == null");
    }

    @Override
    public String toString() {
      return "Basic[user=" + user + "]";
    }
  }

  /**
   * OAuth 2.0 at {@code /oauth_token.do}: the {@code password} grant when {@code user} is present,
   * else {@code client_credentials} (which the instance must have enabled for the client).
   */
  record OAuth(String clientId, String clientSecret, Optional<String> user,
      Optional<String> password) implements ServiceNowLogin {
    public OAuth {
      Objects.requireNonNull(clientId, "clientId == null");
      Objects.requireNonNull(clientSecret, "clientSecret == null");
      Objects.requireNonNull(user, "user == null");
      Objects.requireNonNull(password, "password == null");
      if (user.isPresent() != password.isPresent()) {
        throw new IllegalArgumentException("the password grant needs both user and password");
      }
    }

    @Override
    public String toString() {
      return "OAuth[clientId=" + clientId + ", grant="
          + (user.isPresent() ? "password, user=" + user.get() : "client_credentials") + "]";
    }
  }
}
