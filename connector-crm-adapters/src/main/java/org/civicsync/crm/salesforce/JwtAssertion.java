package org.civicsync.crm.salesforce;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;

/**
 * The assertion of the OAuth 2.0 JWT bearer flow as Salesforce documents it: header
 * {@code {"alg":"RS256"}}, claims {@code iss} (client id), {@code sub} (username), {@code aud}
 * (authorisation server) and {@code exp} (at most three minutes ahead), each part base64url
 * without padding, signed SHA256withRSA with the JDK's {@link Signature}.
 */
final class JwtAssertion {
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private JwtAssertion() {}

  static String create(SalesforceLogin.JwtBearer login, Instant now) {
    String header = B64URL.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
    String claims = "{\"iss\":" + quote(login.clientId()) + ",\"sub\":" + quote(login.username())
        + ",\"aud\":" + quote(login.audience()) + ",\"exp\":" + now.plusSeconds(180).getEpochSecond()
        + "}";
    String signed = header + "." + B64URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(login.key());
      rs256.update(signed.getBytes(StandardCharsets.US_ASCII));
      return signed + "." + B64URL.encodeToString(rs256.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign the JWT bearer assertion with the RSA key", e);
    }
  }

  /** An RSA key from PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
  static PrivateKey readPrivateKey(String pem) {
    if (pem.contains("BEGIN RSA PRIVATE KEY")) {
      throw new IllegalArgumentException("private_key is PKCS#1; convert it to PKCS#8 with "
          + "'openssl pkcs8 -topk8 -nocrypt -in server.key -out server.pk8.pem'");
    }
    String body = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
    try {
      return KeyFactory.getInstance("RSA")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      // Not the key's bytes in the message: only that it could not be read.
      throw new IllegalArgumentException("private_key is not an unencrypted PKCS#8 RSA key in PEM");
    }
  }

  private static String quote(String value) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
