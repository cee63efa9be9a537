package org.civicsync.crm.jdbc;

import java.util.Objects;
import java.util.Optional;

/**
 * A table or view listing the CRM's case types, for {@link JdbcCrm#services()}: one row per case
 * type, its code being what {@code case_type_column} holds. Names are checked like every other
 * name that reaches SQL text.
 *
 * @param table the table or view, optionally {@code schema.name}
 * @param codeColumn the case type code
 * @param nameColumn its name for people
 * @param groupColumn an optional group (a service may be shown under it)
 * @param activeColumn an optional boolean: only rows where it is true are listed
 */
public record ServiceTable(String table, String codeColumn, String nameColumn,
    Optional<String> groupColumn, Optional<String> activeColumn) {

  public ServiceTable {
    JdbcSettings.identifier("service_table", table);
    JdbcSettings.identifier("service_code_column", codeColumn);
    JdbcSettings.identifier("service_name_column", nameColumn);
    Objects.requireNonNull(groupColumn, "groupColumn == null")
        .ifPresent(c -> JdbcSettings.identifier("service_group_column", c));
    Objects.requireNonNull(activeColumn, "activeColumn == null")
        .ifPresent(c -> JdbcSettings.identifier("service_active_column", c));
  }

  /** The whole list, in code order; values are never part of the text. */
  String select() {
    return "SELECT " + codeColumn + ", " + nameColumn
        + groupColumn.map(g -> ", " + g).orElse(", NULL") + " FROM " + table
        + activeColumn.map(a -> " WHERE " + a + " = ?").orElse("")
        + " ORDER BY " + codeColumn;
  }
}
