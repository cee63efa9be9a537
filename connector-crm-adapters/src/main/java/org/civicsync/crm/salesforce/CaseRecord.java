package org.civicsync.crm.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.civicsync.core.model.Report;
import org.civicsync.core.spi.CrmCase;

/**
 * Reads a Case as the REST API answers it: {@code SystemModstamp} as
 * {@code 2024-07-01T09:00:00.000+0000}, {@code IsClosed} a boolean the org derives from the
 * status's "Closed" flag.
 *
 * <p>Case has no revision counter, so the version is {@code SystemModstamp} in epoch
 * milliseconds. Salesforce stores it to the second; every write by the adapter moves it, but two
 * writes within one second share a version.
 */
final class CaseRecord {
  private static final DateTimeFormatter API_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

  /**
   * The fields {@link #toReport} reads: what create writes from a report, and when the Case was
   * made. Contact, supplied name, e-mail and phone are never asked for.
   */
  static String detailFields(SalesforceSettings settings) {
    List<String> fields = new ArrayList<>(List.of("Subject", "Description", "CreatedDate"));
    fields.addAll(settings.location().names());
    return String.join(",", fields);
  }

  private CaseRecord() {}

  /**
   * A Case as a report, read back from the fields create writes ({@code Subject} is the title,
   * {@code Description} the description, and the configured location fields); the requested
   * time is {@code CreatedDate}.
   */
  static Report toReport(JsonNode record, SalesforceSettings settings) {
    return Report.builder()
        .title(text(record, "Subject").orElse(null))
        .description(text(record, "Description").orElse(null))
        .location(settings.location().read(field -> text(record, field)))
        .requested(time(record, "CreatedDate").atOffset(ZoneOffset.UTC))
        .build();
  }

  static CrmCase toCase(JsonNode record, SalesforceSettings settings) {
    Instant modified = modstamp(record);
    return new CrmCase(
        text(record, "Id").orElseThrow(() -> new IllegalArgumentException("Case without Id")),
        text(record, settings.caseTypeField()).orElse(""),
        text(record, settings.externalReferenceField()),
        text(record, "Status").orElse(""),
        record.path("IsClosed").asBoolean(false),
        modified.toEpochMilli(),
        modified);
  }

  static Instant modstamp(JsonNode record) {
    return time(record, "SystemModstamp");
  }

  static Instant time(JsonNode record, String field) {
    String value = text(record, field)
        .orElseThrow(() -> new IllegalArgumentException("record without " + field));
    try {
      return OffsetDateTime.parse(value, API_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return OffsetDateTime.parse(value).toInstant(); // an ISO form with a colon in the offset
    }
  }

  static Optional<String> updateId(JsonNode record, SalesforceSettings settings) {
    return text(record, settings.updateIdField());
  }

  static Optional<String> text(JsonNode record, String field) {
    JsonNode node = record.get(field);
    return node == null || node.isNull() || node.asText().isEmpty()
        ? Optional.empty() : Optional.of(node.asText());
  }
}
