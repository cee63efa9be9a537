package org.civicsync.crm.servicenow;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Set;
import okhttp3.HttpUrl;
import org.civicsync.crm.internal.LocationFields;

/**
 * How to reach one ServiceNow instance and which of its fields the connector uses.
 *
 * @param instance the instance's base URL, e.g. {@code https://council.service-now.com}
 * @param table {@code incident} or {@code sn_customerservice_case}
 * @param login Basic or OAuth credentials
 * @param userTimeZone the integration user's time zone: ServiceNow reads date-time literals in an
 *     encoded query in that zone, so the cursor's time is written in it. Records are read with
 *     {@code sysparm_display_value=false}, which answers stored values, in UTC, whatever the zone
 * @param noteField {@code work_notes} (internal) or {@code comments} (customer-visible)
 * @param categoryField the field the case type goes to (and comes from)
 * @param closedStates the {@code state} values counted as closed (incident: 6 Resolved, 7 Closed,
 *     8 Canceled)
 * @param resolveState the {@code state} a close sets when the mapping gives no status code
 * @param closeCodeField {@code close_code} on incident, {@code resolution_code} on a CSM case
 * @param closeCode the value a close writes to {@code closeCodeField}
 * @param location the record's fields for a report's latitude, longitude and address (the
 *     tables have none of their own), or {@link LocationFields#NONE}
 */
public record ServiceNowSettings(
    HttpUrl instance,
    String table,
    ServiceNowLogin login,
    ZoneId userTimeZone,
    String noteField,
    String categoryField,
    Set<String> closedStates,
    String resolveState,
    String closeCodeField,
    String closeCode,
    LocationFields location,
    Duration connectTimeout,
    Duration readTimeout) {

  public static final Set<String> TABLES = Set.of("incident", "sn_customerservice_case");
  public static final Set<String> NOTE_FIELDS = Set.of("work_notes", "comments");

  public ServiceNowSettings {
    Objects.requireNonNull(instance, "instance == null");
    Objects.requireNonNull(table, "table == null");
    Objects.requireNonNull(login, "login == null");
    Objects.requireNonNull(userTimeZone, "userTimeZone == null");
    Objects.requireNonNull(noteField, "noteField == null");
    Objects.requireNonNull(categoryField, "categoryField == null");
    closedStates = Set.copyOf(Objects.requireNonNull(closedStates, "closedStates == null"));
    Objects.requireNonNull(resolveState, "resolveState == null");
    Objects.requireNonNull(closeCodeField, "closeCodeField == null");
    Objects.requireNonNull(closeCode, "closeCode == null");
    Objects.requireNonNull(location, "location == null");
    Objects.requireNonNull(connectTimeout, "connectTimeout == null");
    Objects.requireNonNull(readTimeout, "readTimeout == null");
    if (!TABLES.contains(table)) {
      throw new IllegalArgumentException("table must be one of " + TABLES + ", not '" + table + "'");
    }
    if (!NOTE_FIELDS.contains(noteField)) {
      throw new IllegalArgumentException(
          "note_field must be one of " + NOTE_FIELDS + ", not '" + noteField + "'");
    }
    if (closedStates.isEmpty()) {
      throw new IllegalArgumentException("closed_states must name at least one state");
    }
  }

  /** Incident defaults: category, states 6/7/8 closed, resolve to 6 with "Solved (Permanently)". */
  public static ServiceNowSettings incident(HttpUrl instance, ServiceNowLogin login) {
    return new ServiceNowSettings(instance, "incident", login, ZoneId.of("UTC"), "work_notes",
        "category", Set.of("6", "7", "8"), "6", "close_code", "Solved (Permanently)",
        LocationFields.NONE, Duration.ofSeconds(10), Duration.ofSeconds(30));
  }

  public ServiceNowSettings withUserTimeZone(ZoneId zone) {
    return new ServiceNowSettings(instance, table, login, zone, noteField, categoryField,
        closedStates, resolveState, closeCodeField, closeCode, location, connectTimeout,
        readTimeout);
  }

  public ServiceNowSettings withReadTimeout(Duration timeout) {
    return new ServiceNowSettings(instance, table, login, userTimeZone, noteField, categoryField,
        closedStates, resolveState, closeCodeField, closeCode, location, connectTimeout, timeout);
  }

  public ServiceNowSettings withLogin(ServiceNowLogin value) {
    return new ServiceNowSettings(instance, table, value, userTimeZone, noteField, categoryField,
        closedStates, resolveState, closeCodeField, closeCode, location, connectTimeout,
        readTimeout);
  }

  public ServiceNowSettings withLocation(LocationFields value) {
    return new ServiceNowSettings(instance, table, login, userTimeZone, noteField, categoryField,
        closedStates, resolveState, closeCodeField, closeCode, value, connectTimeout, readTimeout);
  }

  /** The Table API URL of the configured table. */
  HttpUrl tableUrl() {
    return tableUrl(table);
  }

  HttpUrl tableUrl(String name) {
    return instance.newBuilder().addPathSegments("api/now/table").addPathSegment(name).build();
  }
}
