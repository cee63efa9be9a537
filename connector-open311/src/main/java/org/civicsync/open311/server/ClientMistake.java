package org.civicsync.open311.server;

/**
 * A request the server refuses, answered as the specification's error document: 400 for a bad
 * field (the description names it), 403 for a missing or wrong api_key, 404 for an unknown
 * jurisdiction, service or request, 413 for a body over the limit. No stack trace is kept: these
 * are expected, and many arrive when a client misbehaves.
 */
final class ClientMistake extends RuntimeException {
  private final int status;

  ClientMistake(int status, String description) {
    super(description, null, false, false);
    this.status = status;
  }

  static ClientMistake badRequest(String description) {
    return new ClientMistake(400, description);
  }

  static ClientMistake notFound(String description) {
    return new ClientMistake(404, description);
  }

  int status() {
    return status;
  }
}
