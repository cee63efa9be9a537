package org.civicsync.crm.jdbc;

import java.util.Collections;
import java.util.Objects;
import java.util.Optional;

/**
 * Which rows of the notes table the change feed reports with a case's change, as its note. A
 * note goes to FixMyStreet, in public: so by default none are, and a CRM whose notes table marks
 * the public ones names that column.
 *
 * @param mode {@code NONE}, {@code PUBLIC} (rows where {@code publicColumn} is true) or
 *     {@code ALL} (every row: only for a notes table that holds nothing internal)
 * @param publicColumn the boolean column marking a note as public, for {@code PUBLIC}
 */
public record FeedNotes(Mode mode, Optional<String> publicColumn) {
  /** Which notes are listed. */
  public enum Mode { NONE, PUBLIC, ALL }

  public static final FeedNotes NONE = new FeedNotes(Mode.NONE, Optional.empty());

  public FeedNotes {
    Objects.requireNonNull(mode, "mode == null");
    Objects.requireNonNull(publicColumn, "publicColumn == null");
    publicColumn.ifPresent(c -> JdbcSettings.identifier("note_public_column", c));
    if (mode == Mode.PUBLIC && publicColumn.isEmpty()) {
      throw new IllegalArgumentException("feed_notes 'public' needs note_public_column");
    }
  }

  public static FeedNotes publicOnly(String column) {
    return new FeedNotes(Mode.PUBLIC, Optional.of(column));
  }

  public static FeedNotes all() {
    return new FeedNotes(Mode.ALL, Optional.empty());
  }

  /** The notes of {@code cases} case ids created at or after a time, oldest first. */
  String select(JdbcSettings s, int cases) {
    return "SELECT " + s.noteIdColumn() + ", " + s.noteCaseColumn() + ", " + s.noteTextColumn()
        + ", " + s.noteCreatedColumn() + s.noteUpdateIdColumn().map(c -> ", " + c).orElse("")
        + " FROM " + s.notesTable() + " WHERE " + s.noteCaseColumn() + " IN ("
        + String.join(", ", Collections.nCopies(cases, "?")) + ") AND "
        + s.noteCreatedColumn() + " >= ?"
        + (mode == Mode.PUBLIC ? " AND " + publicColumn.get() + " = ?" : "")
        + " ORDER BY " + s.noteCreatedColumn() + ", " + s.noteIdColumn();
  }
}
