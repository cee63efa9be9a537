package org.civicsync.crm.jdbc;

import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which of the CRM's tables and columns hold cases and notes. Every name is checked against
 * {@link #IDENTIFIER} here, once: names are the only configuration that reaches SQL text (values
 * are always bound as parameters), so a name that could close a quote or start a comment is
 * refused before any statement is built. Names are not quoted, so they match however the
 * database folds unquoted names (upper case in H2, lower case in PostgreSQL).
 *
 * @param caseTable the table or updatable view of cases, optionally {@code schema.table}
 * @param caseIdColumn the key; numeric ids are made by the database (identity or sequence
 *     default), text ids must have a default too
 * @param numericIds whether {@code caseIdColumn} is a number (ids are bound as {@code long})
 * @param idempotencyKeyColumn a column with a unique constraint holding the create's key
 * @param externalReferenceColumn the Open311 reference, searched by lookup
 * @param versionColumn an integer the adapter increments with each write, or empty to use the
 *     modified time in milliseconds as the version
 * @param timeZone the zone of the {@code TIMESTAMP} (without time zone) columns
 * @param closedStatuses the status codes counted as closed
 * @param openStatus the status a new case gets
 * @param closeStatus the status a close sets when the mapping gives none
 */
public record JdbcSettings(
    String caseTable,
    String caseIdColumn,
    boolean numericIds,
    String idempotencyKeyColumn,
    String externalReferenceColumn,
    String caseTypeColumn,
    String statusColumn,
    String modifiedColumn,
    Optional<String> versionColumn,
    Optional<String> titleColumn,
    String descriptionColumn,
    String notesTable,
    String noteIdColumn,
    String noteCaseColumn,
    String noteTextColumn,
    String noteCreatedColumn,
    Optional<String> noteUpdateIdColumn,
    ZoneId timeZone,
    Set<String> closedStatuses,
    String openStatus,
    String closeStatus) {

  /** A plain SQL name, optionally schema-qualified: letters, digits, underscores. */
  public static final Pattern IDENTIFIER =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

  public JdbcSettings {
    Objects.requireNonNull(versionColumn, "versionColumn == null");
    Objects.requireNonNull(titleColumn, "titleColumn == null");
    Objects.requireNonNull(noteUpdateIdColumn, "noteUpdateIdColumn == null");
    Objects.requireNonNull(timeZone, "timeZone == null");
    closedStatuses = Set.copyOf(Objects.requireNonNull(closedStatuses, "closedStatuses == null"));
    Objects.requireNonNull(openStatus, "openStatus == null");
    Objects.requireNonNull(closeStatus, "closeStatus == null");
    identifier("case_table", caseTable);
    identifier("case_id_column", caseIdColumn);
    identifier("idempotency_key_column", idempotencyKeyColumn);
    identifier("external_reference_column", externalReferenceColumn);
    identifier("case_type_column", caseTypeColumn);
    identifier("status_column", statusColumn);
    identifier("modified_column", modifiedColumn);
    versionColumn.ifPresent(c -> identifier("version_column", c));
    titleColumn.ifPresent(c -> identifier("title_column", c));
    identifier("description_column", descriptionColumn);
    identifier("notes_table", notesTable);
    identifier("note_id_column", noteIdColumn);
    identifier("note_case_column", noteCaseColumn);
    identifier("note_text_column", noteTextColumn);
    identifier("note_created_column", noteCreatedColumn);
    noteUpdateIdColumn.ifPresent(c -> identifier("note_update_id_column", c));
    if (closedStatuses.isEmpty()) {
      throw new IllegalArgumentException("closed_statuses must name at least one status");
    }
    if (!closedStatuses.contains(closeStatus)) {
      throw new IllegalArgumentException(
          "close_status '" + closeStatus + "' is not one of closed_statuses " + closedStatuses);
    }
  }

  /** Checks one configured name; the message names the setting, not just the value. */
  public static String identifier(String setting, String value) {
    Objects.requireNonNull(value, () -> setting + " == null");
    if (!IDENTIFIER.matcher(value).matches()) {
      throw new IllegalArgumentException(setting + " must be a plain SQL name (letters, digits, "
          + "underscores, optionally schema.name), not '" + value + "'");
    }
    return value;
  }
}
