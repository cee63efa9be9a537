package org.civicsync.crm.dynamics;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.civicsync.core.model.Report;
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
  /**
   * The columns {@link #toReport} reads: what create writes from a report, and when the row was
   * made. The customer and any contact columns are never asked for.
   */
  static String detailColumns(DynamicsSettings settings) {
    List<String> columns = new ArrayList<>(List.of("title", "description", "createdon"));
    columns.addAll(settings.location().names());
    return String.join(",", columns);
  }

  private IncidentRecord() {}

  /**
   * An incident as a report, read back from the columns create writes ({@code title},
   * {@code description}, and the configured location columns); the requested time is
   * {@code createdon}.
   */
  static Report toReport(JsonNode record, DynamicsSettings settings) {
    return Report.builder()
        .title(text(record, "title").orElse(null))
        .description(text(record, "description").orElse(null))
        .location(settings.location().read(column -> text(record, column)))
        .requested(time(record, "createdon").atOffset(ZoneOffset.UTC))
        .build();
  }

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
    return time(record, "modifiedon");
  }

  private static Instant time(JsonNode record, String column) {
    String value = text(record, column)
        .orElseThrow(() -> new IllegalArgumentException("incident without " + column));
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(column + " is not an ISO date-time: " + value, e);
    }
  }

  static Optional<String> text(JsonNode record, String field) {
    JsonNode node = record.get(field);
    return node == null || node.isNull() || node.asText().isEmpty()
        ? Optional.empty() : Optional.of(node.asText());
  }
}
