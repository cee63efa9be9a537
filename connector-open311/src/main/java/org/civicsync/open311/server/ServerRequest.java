package org.civicsync.open311.server;

import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request as the server needs it, whatever hosts it.
 *
 * @param path the path below the endpoint's base, e.g. {@code services.xml} or
 *     {@code requests/123.json} (a leading {@code /} is ignored)
 * @param query the raw query string, without {@code ?}; empty when none
 * @param contentType the Content-Type header, when sent
 * @param body the body as received (empty for a GET); the host caps its size
 */
public record ServerRequest(String method, String path, String query, Optional<String> contentType,
    byte[] body) {
  public ServerRequest {
    Objects.requireNonNull(method, "method == null");
    Objects.requireNonNull(path, "path == null");
    Objects.requireNonNull(query, "query == null");
    Objects.requireNonNull(contentType, "contentType == null");
    Objects.requireNonNull(body, "body == null");
  }

  public static ServerRequest get(String path, String query) {
    return new ServerRequest("GET", path, query, Optional.empty(), new byte[0]);
  }

  public static ServerRequest post(String path, String contentType, byte[] body) {
    return new ServerRequest("POST", path, "", Optional.of(contentType), body);
  }

  @Override
  public String toString() {
    // Never the query or body: they carry the api_key and citizens' details.
    return method + " " + path;
  }
}
