package org.civicsync.core.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A report serve mode lists on {@code GET requests}: which link, when it was requested, its
 * service code and visibility (the filters), and the public part of the report as a payload.
 *
 * @param crmOriginated true for a case raised in the CRM (a link with no Open311 report)
 * @param payload the report as served, without contact details; status and id come from the link
 */
public record ServedRequest(long linkId, String jurisdiction, Instant requested,
    Optional<String> serviceCode, boolean nonPublic, boolean crmOriginated, String payload) {

  public ServedRequest {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    Objects.requireNonNull(requested, "requested == null");
    Objects.requireNonNull(serviceCode, "serviceCode == null");
    Objects.requireNonNull(payload, "payload == null");
  }
}
