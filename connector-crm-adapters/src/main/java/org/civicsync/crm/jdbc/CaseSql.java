package org.civicsync.crm.jdbc;

import java.util.ArrayList;
import java.util.List;
import org.civicsync.crm.internal.LocationFields;

/**
 * The SQL texts of one configuration, built once from names {@link JdbcSettings} has checked.
 * Values are never part of these texts: every one is a {@code ?} bound by the caller.
 */
final class CaseSql {
  final String select;
  final String byId;
  final String byIdForUpdate;
  final String byKey;
  final String byReference;
  final String after;
  final String fromStart;
  final String touch;
  final String noteExists;
  final String insertNote;
  private final JdbcSettings s;

  CaseSql(JdbcSettings s) {
    this.s = s;
    List<String> columns = new ArrayList<>(List.of(s.caseIdColumn(), s.caseTypeColumn(),
        s.externalReferenceColumn(), s.statusColumn(), s.modifiedColumn()));
    s.versionColumn().ifPresent(columns::add);
    select = "SELECT " + String.join(", ", columns) + " FROM " + s.caseTable();
    byId = select + " WHERE " + s.caseIdColumn() + " = ?";
    byIdForUpdate = byId + " FOR UPDATE";
    byKey = select + " WHERE " + s.idempotencyKeyColumn() + " = ?";
    byReference = select + " WHERE " + s.externalReferenceColumn() + " = ? ORDER BY "
        + s.caseIdColumn();
    String order = " ORDER BY " + s.modifiedColumn() + ", " + s.caseIdColumn();
    after = select + " WHERE " + s.modifiedColumn() + " >= ? AND (" + s.modifiedColumn()
        + " > ? OR " + s.caseIdColumn() + " > ?)" + order;
    fromStart = select + " WHERE " + s.modifiedColumn() + " >= ?" + order;
    touch = "UPDATE " + s.caseTable() + " SET " + s.statusColumn() + " = ?, "
        + s.modifiedColumn() + " = ?"
        + s.versionColumn().map(v -> ", " + v + " = " + v + " + 1").orElse("")
        + " WHERE " + s.caseIdColumn() + " = ?";
    noteExists = "SELECT 1 FROM " + s.notesTable() + " WHERE " + s.noteCaseColumn() + " = ? AND "
        + s.noteUpdateIdColumn().map(c -> c + " = ?")
            .orElse(s.noteTextColumn() + " LIKE ? ESCAPE '!'");
    insertNote = "INSERT INTO " + s.notesTable() + " (" + s.noteCaseColumn() + ", "
        + s.noteTextColumn() + ", " + s.noteCreatedColumn()
        + s.noteUpdateIdColumn().map(c -> ", " + c + ") VALUES (?, ?, ?, ?)")
            .orElse(") VALUES (?, ?, ?)");
  }

  /**
   * A case's particulars by id: the description, the title when there is a title column, then
   * the {@code location} columns in {@link LocationFields#names()} order; nothing else of the
   * row.
   */
  String details(LocationFields location) {
    List<String> columns = new ArrayList<>(List.of(s.descriptionColumn()));
    s.titleColumn().ifPresent(columns::add);
    columns.addAll(location.names());
    return "SELECT " + String.join(", ", columns) + " FROM " + s.caseTable() + " WHERE "
        + s.caseIdColumn() + " = ?";
  }

  /** At most {@code rows} rows: the integer is ours, so it can be written into the text. */
  static String limited(String sql, int rows) {
    return sql + " FETCH FIRST " + rows + " ROWS ONLY";
  }

  /** An insert of a new case with {@code extraColumns} (each checked) after the usual ones. */
  String insertCase(List<String> extraColumns) {
    List<String> columns = new ArrayList<>(List.of(s.idempotencyKeyColumn(),
        s.externalReferenceColumn(), s.caseTypeColumn(), s.statusColumn(), s.modifiedColumn(),
        s.descriptionColumn()));
    s.titleColumn().ifPresent(columns::add);
    s.versionColumn().ifPresent(columns::add);
    extraColumns.forEach(c -> columns.add(JdbcSettings.identifier("field name", c)));
    return "INSERT INTO " + s.caseTable() + " (" + String.join(", ", columns) + ") VALUES ("
        + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")";
  }
}
