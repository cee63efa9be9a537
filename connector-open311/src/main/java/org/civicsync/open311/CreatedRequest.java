package org.civicsync.open311;

import java.util.Objects;
import java.util.Optional;

/**
 * The answer to {@code POST requests}: a {@code service_request_id} or a {@code token} to look it
 * up later (never both, never neither), with an optional notice and account id.
 */
public record CreatedRequest(
    Optional<String> serviceRequestId,
    Optional<String> token,
    Optional<String> serviceNotice,
    Optional<String> accountId) {

  public CreatedRequest {
    Objects.requireNonNull(serviceRequestId, "serviceRequestId == null");
    Objects.requireNonNull(token, "token == null");
    Objects.requireNonNull(serviceNotice, "serviceNotice == null");
    Objects.requireNonNull(accountId, "accountId == null");
    if (serviceRequestId.isPresent() == token.isPresent()) {
      throw new IllegalArgumentException(
          "a created request has a service_request_id or a token, not both and not neither");
    }
  }
}
