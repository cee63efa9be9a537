package org.civicsync.core.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.civicsync.core.model.Report;

/**
 * A case to create, already in CRM terms where the mapping decides: the case type and the CRM
 * fields come from the jurisdiction's mapping; the report itself carries what every CRM has
 * (description, location, contact, media), for the adapter to place in its own fields.
 *
 * @param idempotencyKey the same for every attempt to create this case (e.g. the
 *     {@code fixmystreet_id}, or a hash of the report); a CRM with an upsert keys on it
 * @param externalReference the id the other side knows the report by (the Open311
 *     {@code service_request_id} or the {@code fixmystreet_id}); what
 *     {@link CaseLookup#findByExternalReference} finds the case by
 * @param caseType the CRM's case type, mapped from the Open311 {@code service_code}
 * @param fields CRM field name to values, mapped from the report's attributes; one value except
 *     for multi-value lists
 * @param report the citizen's report
 */
public record NewCase(
    String idempotencyKey,
    String externalReference,
    String caseType,
    Map<String, List<String>> fields,
    Report report) {

  public NewCase {
    Objects.requireNonNull(idempotencyKey, "idempotencyKey == null");
    Objects.requireNonNull(externalReference, "externalReference == null");
    Objects.requireNonNull(caseType, "caseType == null");
    Objects.requireNonNull(fields, "fields == null");
    Objects.requireNonNull(report, "report == null");
    if (idempotencyKey.isBlank()) {
      throw new IllegalArgumentException("idempotencyKey is blank");
    }
    if (externalReference.isBlank()) {
      throw new IllegalArgumentException("externalReference is blank");
    }
    Map<String, List<String>> copy = new LinkedHashMap<>();
    fields.forEach((name, values) -> copy.put(
        Objects.requireNonNull(name, "field name == null"), List.copyOf(values)));
    fields = Collections.unmodifiableMap(copy);
  }

  @Override
  public String toString() {
    // The report holds personal data: name the case by its keys only.
    return "NewCase[idempotencyKey=" + idempotencyKey + ", externalReference=" + externalReference
        + ", caseType=" + caseType + ", fields=" + fields.keySet() + "]";
  }
}
