package org.civicsync.crm.salesforce;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * The contract kit again, signing in with the JWT bearer flow: the org checks the RS256
 * signature with the certificate's public key and the iss, sub, aud and exp claims.
 */
class SalesforceJwtContractTest extends SalesforceCrmContractTest {
  static final KeyPair APP_KEY = rsa();
  private static final KeyPair OTHER_KEY = rsa();

  @Override
  SalesforceLogin login() {
    return new SalesforceLogin.JwtBearer(LOGIN.clientId(), "civicsync@council.gov.uk",
        APP_KEY.getPrivate(), "https://login.salesforce.com");
  }

  @Override
  SalesforceLogin wrongLogin() {
    return new SalesforceLogin.JwtBearer(LOGIN.clientId(), "civicsync@council.gov.uk",
        OTHER_KEY.getPrivate(), "https://login.salesforce.com");
  }

  @Override
  FakeOrg newOrg() {
    return new FakeOrg(login(), APP_KEY.getPublic());
  }

  @Override
  protected List<String> secrets() {
    return List.of(Base64.getEncoder().encodeToString(OTHER_KEY.getPrivate().getEncoded()),
        Base64.getEncoder().encodeToString(APP_KEY.getPrivate().getEncoded()));
  }

  static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
