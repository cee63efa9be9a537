package org.civicsync.crm.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmAdapterProvider;
import org.civicsync.crm.internal.LocationFields;
import org.civicsync.crm.internal.Settings;

/**
 * Makes {@link JdbcCrm}s for configuration type {@code jdbc}. Connection: {@code jdbc_url},
 * {@code user}, {@code password}, optional {@code pool_size}, {@code connection_timeout_seconds}
 * (the JDBC driver must be on the class path). Tables: {@code case_table}, {@code case_id_column},
 * {@code case_id_type} ({@code integer} or {@code text}), {@code idempotency_key_column},
 * {@code external_reference_column}, {@code case_type_column}, {@code status_column},
 * {@code modified_column}, optional {@code version_column}, {@code title_column},
 * {@code description_column}; {@code notes_table}, {@code note_id_column},
 * {@code note_case_column}, {@code note_text_column}, {@code note_created_column}, optional
 * {@code note_update_id_column}; {@code time_zone}, {@code closed_statuses},
 * {@code open_status}, {@code close_status}. Optional: {@code service_table} with
 * {@code service_code_column} (default {@code code}), {@code service_name_column} (default
 * {@code name}), {@code service_group_column}, {@code service_active_column} for a service
 * catalogue; {@code feed_notes} ({@code none}, the default, {@code public} with
 * {@code note_public_column}, or {@code all}) for notes in the change feed;
 * {@code latitude_column} with {@code longitude_column}, {@code address_column} for a report's
 * location.
 */
public final class JdbcProvider implements CrmAdapterProvider {
  public static final String TYPE = "jdbc";
  private static final Set<String> KEYS = Set.of("jdbc_url", "user", "password", "pool_size",
      "connection_timeout_seconds", "case_table", "case_id_column", "case_id_type",
      "idempotency_key_column", "external_reference_column", "case_type_column",
      "status_column", "modified_column", "version_column", "title_column",
      "description_column", "notes_table", "note_id_column", "note_case_column",
      "note_text_column", "note_created_column", "note_update_id_column", "time_zone",
      "closed_statuses", "open_status", "close_status", "service_table", "service_code_column",
      "service_name_column", "service_group_column", "service_active_column", "feed_notes",
      "note_public_column", "latitude_column", "longitude_column", "address_column");

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Optional<CrmAdapter> create(String name, Map<String, ?> values) {
    Settings s = Settings.of(name, "a JDBC CRM", values, KEYS);
    JdbcSettings settings;
    Optional<ServiceTable> services;
    FeedNotes notes;
    LocationFields location;
    try {
      settings = settings(s);
      services = serviceTable(s);
      notes = feedNotes(s);
      location = new LocationFields(s.optional("latitude_column"),
          s.optional("longitude_column"), s.optional("address_column"));
      // Checked here too, as withLocation does, so that a bad name is refused before the pool.
      location.names().forEach(column -> JdbcSettings.identifier("location column", column));
    } catch (IllegalArgumentException | DateTimeException e) {
      throw s.wrong(e.getMessage());
    }
    HikariConfig pool = new HikariConfig();
    pool.setPoolName("civicsync-" + name);
    pool.setJdbcUrl(s.required("jdbc_url"));
    s.optional("user").ifPresent(pool::setUsername);
    s.optional("password").ifPresent(pool::setPassword);
    pool.setMaximumPoolSize(s.integer("pool_size").orElse(4));
    pool.setConnectionTimeout(
        s.seconds("connection_timeout_seconds").orElse(java.time.Duration.ofSeconds(10)).toMillis());
    pool.setInitializationFailTimeout(-1); // connect on first use: creating an adapter is cheap
    HikariDataSource dataSource = new HikariDataSource(pool);
    JdbcCrm crm = JdbcCrm.create(name, settings, dataSource, Clock.systemUTC(), dataSource)
        .withFeedNotes(notes).withLocation(location);
    return Optional.of(services.map(crm::withServiceTable).orElse(crm));
  }

  static Optional<ServiceTable> serviceTable(Settings s) {
    return s.optional("service_table").map(table -> new ServiceTable(table,
        s.optional("service_code_column").orElse("code"),
        s.optional("service_name_column").orElse("name"),
        s.optional("service_group_column"), s.optional("service_active_column")));
  }

  static FeedNotes feedNotes(Settings s) {
    String mode = s.optional("feed_notes").orElse("none");
    return switch (mode) {
      case "none" -> FeedNotes.NONE;
      case "public" -> FeedNotes.publicOnly(s.optional("note_public_column").orElseThrow(() ->
          new IllegalArgumentException("feed_notes 'public' needs note_public_column")));
      case "all" -> FeedNotes.all();
      default -> throw new IllegalArgumentException(
          "feed_notes must be none, public or all, not '" + mode + "'");
    };
  }

  static JdbcSettings settings(Settings s) {
    String idType = s.optional("case_id_type").orElse("integer");
    if (!idType.equals("integer") && !idType.equals("text")) {
      throw new IllegalArgumentException("case_id_type must be 'integer' or 'text', not '" + idType + "'");
    }
    return new JdbcSettings(
        s.required("case_table"),
        s.required("case_id_column"),
        idType.equals("integer"),
        s.required("idempotency_key_column"),
        s.required("external_reference_column"),
        s.required("case_type_column"),
        s.required("status_column"),
        s.required("modified_column"),
        s.optional("version_column"),
        s.optional("title_column"),
        s.required("description_column"),
        s.required("notes_table"),
        s.required("note_id_column"),
        s.required("note_case_column"),
        s.required("note_text_column"),
        s.required("note_created_column"),
        s.optional("note_update_id_column"),
        s.optional("time_zone").map(ZoneId::of).orElse(ZoneId.of("UTC")),
        s.list("closed_statuses").orElseThrow(() -> s.wrong("closed_statuses is required")),
        s.required("open_status"),
        s.required("close_status"));
  }
}
