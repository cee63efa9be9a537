package org.civicsync.crm.dynamics;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.civicsync.core.spi.CrmCase;

/**
 * Reads an {@code incident} as the Web API answers it: {@code modifiedon} as
 * {@code 2024-07-01T09:00:00Z}, {@code statecode} and {@code statuscode} as numbers,
 * {@code versionnumber} the row version, and the {@code @odata.etag} ({@code W/"12345"}) for
 * {@code If-Match}.
 *
 * <p>The version is {@code versionnumber}, which grows with every write to the row. The ETag
 * holds the same number today, but Microsoft documents ETags as opaque, so it is only ever sent
 * back, never compared.
 */
final class IncidentRecord {
  private IncidentRecord() {}

  /** The columns asked for with {@code $select}. */
  static String select(DynamicsSettings settings) {
    Set<String> columns = new LinkedHashSet<>(List.of("incidentid", "ticketnumber",
        settings.caseTypeColumn(), settings.alternateKeyColumn(), settings.updateIdColumn(),
        "statecode", "statuscode", "versionnumber", "modifiedon"));
    return String.join(",", columns);
  }

  static CrmCase toCase(JsonNode record, DynamicsSettings settings) {
    return new CrmCase(
        id(record),
        text(record, settings.caseTypeColumn()).orElse(""),
        text(record, settings.alternateKeyColumn()),
        text(record, "statuscode").orElse(""),
        record.path("statecode").asInt(0) != 0,
        record.path("versionnumber").asLong(0),
        modifiedOn(record));
  }

  static String id(JsonNode record) {
    return text(record, "incidentid")
        .orElseThrow(() -> new IllegalArgumentException("incident without incidentid"));
  }

  static boolean active(JsonNode record) {
    return record.path("statecode").asInt(0) == 0;
  }

  static Optional<String> etag(JsonNode record) {
    return text(record, "@odata.etag");
  }

  static Optional<String> updateId(JsonNode record, DynamicsSettings settings) {
    return text(record, settings.updateIdColumn());
  }

  static Instant modifiedOn(JsonNode record) {
    String value = text(record, "modifiedon")
        .orElseThrow(() -> new IllegalArgumentException("incident without modifiedon"));
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("modifiedon is not an ISO date-time: " + value, e);
    }
  }

  static Optional<String> text(JsonNode record, String field) {
    JsonNode node = record.get(field);
    return node == null || node.isNull() || node.asText().isEmpty()
        ? Optional.empty() : Optional.of(node.asText());
  }
}
