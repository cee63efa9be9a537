package org.civicsync.crm.salesforce;

import java.security.PrivateKey;
import java.util.Objects;

/**
 * How the connector signs in to the org through its connected app (or external client app).
 * Secrets stay in here: {@link #toString()} names the grant and the client, never a secret or key.
 */
public sealed interface SalesforceLogin {

  /** The app's client id (consumer key). */
  String clientId();

  /**
   * OAuth 2.0 client credentials: {@code grant_type=client_credentials} with the consumer key and
   * secret; the app runs as its configured "Run As" user. Needs the org's My Domain as token URL.
   */
  record ClientCredentials(String clientId, String clientSecret) implements SalesforceLogin {
    public ClientCredentials {
      Objects.requireNonNull(clientId, "clientId == null");
      Objects.requireNonNull(clientSecret, "clientSecret == null");
    }

    @Override
    public String toString() {
      return "ClientCredentials[clientId=" + clientId + "]";
    }
  }

  /**
   * OAuth 2.0 JWT bearer: an assertion signed RS256 with {@code key}, whose certificate is
   * uploaded to the app, naming {@code username} (pre-authorised for the app) as subject.
   *
   * @param audience the authorisation server: {@code https://login.salesforce.com},
   *     {@code https://test.salesforce.com} for a sandbox, or the My Domain URL
   */
  record JwtBearer(String clientId, String username, PrivateKey key, String audience)
      implements SalesforceLogin {
    public JwtBearer {
      Objects.requireNonNull(clientId, "clientId == null");
      Objects.requireNonNull(username, "username == null");
      Objects.requireNonNull(key, "key == null");
      Objects.requireNonNull(audience, "audience == null");
      if (!"RSA".equals(key.getAlgorithm())) {
        throw new IllegalArgumentException("the JWT bearer key must be RSA, not " + key.getAlgorithm());
      }
    }

    @Override
    public String toString() {
      return "JwtBearer[clientId=" + clientId + ", username=" + username + ", audience=" + audience
          + "]";
    }
  }
}
