package org.civicsync.crm.servicenow;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.civicsync.core.model.Report;
import org.civicsync.core.spi.CrmCase;

/**
 * Reads a Table API record, fetched with {@code sysparm_display_value=false}: stored values, so
 * {@code state} is its number, {@code sys_mod_count} a number in a string and
 * {@code sys_updated_on} UTC as {@code yyyy-MM-dd HH:mm:ss}.
 */
final class CaseRecord {
  /** The fields the adapter asks for with {@code sysparm_fields}. */
  static String fields(ServiceNowSettings settings) {
    return String.join(",", "sys_id", "number", settings.categoryField(), "correlation_id",
        "state", "sys_mod_count", "sys_updated_on");
  }

  /**
   * The fields {@link #toReport} reads: what create writes from a report, and when the record was
   * made. The caller, the location reference and the rest of the record are never asked for.
   */
  static String detailFields(ServiceNowSettings settings) {
    List<String> fields = new ArrayList<>(List.of("short_description", "description",
        "sys_created_on"));
    fields.addAll(settings.location().names());
    return String.join(",", fields);
  }

  private static final DateTimeFormatter STORED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private CaseRecord() {}

  static CrmCase toCase(JsonNode record, ServiceNowSettings settings) {
    String state = text(record, "state").orElse("");
    return new CrmCase(
        text(record, "sys_id").orElseThrow(() -> new IllegalArgumentException("record without sys_id")),
        text(record, settings.categoryField()).orElse(""),
        text(record, "correlation_id"),
        state,
        settings.closedStates().contains(state),
        Long.parseLong(text(record, "sys_mod_count").orElse("0")),
        updatedOn(record));
  }

  /**
   * A record as a report, read back from the fields create writes ({@code short_description} is
   * the title, {@code description} the description, and the configured location fields); the
   * requested time is {@code sys_created_on}.
   */
  static Report toReport(JsonNode record, ServiceNowSettings settings) {
    return Report.builder()
        .title(text(record, "short_description").orElse(null))
        .description(text(record, "description").orElse(null))
        .location(settings.location().read(field -> text(record, field)))
        .requested(createdOn(record).atOffset(ZoneOffset.UTC))
        .build();
  }

  static Instant updatedOn(JsonNode record) {
    return stored(record, "sys_updated_on");
  }

  static Instant createdOn(JsonNode record) {
    return stored(record, "sys_created_on");
  }

  private static Instant stored(JsonNode record, String field) {
    String value = text(record, field)
        .orElseThrow(() -> new IllegalArgumentException("record without " + field));
    try {
      return LocalDateTime.parse(value, STORED).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(field + " is not yyyy-MM-dd HH:mm:ss: " + value, e);
    }
  }

  static Optional<String> text(JsonNode record, String field) {
    JsonNode node = record.get(field);
    return node == null || node.isNull() || node.asText().isEmpty()
        ? Optional.empty() : Optional.of(node.asText());
  }
}
