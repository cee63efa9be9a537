package org.civicsync.open311.server;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** What to answer: an HTTP status, a content type and the body bytes. */
public record ServerResponse(int status, String contentType, byte[] body) {
  public ServerResponse {
    Objects.requireNonNull(contentType, "contentType == null");
    Objects.requireNonNull(body, "body == null");
  }

  /** The body as text (UTF-8), for tests and logs of documents without personal data. */
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return status + " " + contentType + " (" + body.length + " bytes)";
  }
}
