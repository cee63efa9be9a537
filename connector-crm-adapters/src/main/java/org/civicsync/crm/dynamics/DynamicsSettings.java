package org.civicsync.crm.dynamics;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import org.civicsync.crm.internal.LocationFields;

/**
 * How to reach one Dataverse environment (Dynamics 365 Customer Service) and which columns of
 * {@code incident} the connector uses.
 *
 * @param environment the environment URL, e.g. {@code https://council.crm11.dynamics.com}
 * @param apiVersion the Web API version, {@code 9.2}
 * @param login the Entra ID app registration
 * @param customer the customer every new case is raised for, as a Web API path:
 *     {@code accounts(<guid>)} or {@code contacts(<guid>)} (an incident must have a customer;
 *     councils keep one "member of the public" account for reports from Open311)
 * @param alternateKeyColumn a text column of {@code incident} that is an alternate key: it holds
 *     the external reference, creates are keyed on it and lookups read by it
 * @param updateIdColumn a text column where each applied update leaves its id: it moves the
 *     case's version with a note (adding an annotation does not) and lets a resend be recognised
 * @param caseTypeColumn the text column the case type goes to and comes from
 * @param caseOriginCode the {@code caseorigincode} of new cases: 3 is Web
 * @param closeStatus the {@code statuscode} a close sets when the mapping gives none: 5 is
 *     Problem Solved
 * @param resolvedStatuses the {@code statuscode}s of state Resolved (1), set with
 *     {@code CloseIncident}
 * @param cancelledStatuses the {@code statuscode}s of state Cancelled (2), set by a PATCH; any
 *     other status code is an Active (0) one
 * @param location decimal columns of {@code incident} for a report's latitude and longitude and
 *     a text column for its address, or {@link LocationFields#NONE}: {@code incident} has none
 *     of its own
 * @param pageSize {@code Prefer: odata.maxpagesize}, at most 5,000
 * @param changeTracking read changes with Dataverse change tracking ({@code Prefer:
 *     odata.track-changes} and {@code @odata.deltaLink}) once the keyset feed has caught up;
 *     needs "Track changes" enabled on the Case table
 */
public record DynamicsSettings(
    HttpUrl environment,
    String apiVersion,
    EntraLogin login,
    String customer,
    String alternateKeyColumn,
    String updateIdColumn,
    String caseTypeColumn,
    int caseOriginCode,
    String closeStatus,
    Set<String> resolvedStatuses,
    Set<String> cancelledStatuses,
    LocationFields location,
    int pageSize,
    boolean changeTracking,
    Duration connectTimeout,
    Duration readTimeout) {

  /** A column's logical name: lower case, custom ones with a publisher prefix. */
  static final Pattern COLUMN = Pattern.compile("[a-z][a-z0-9_]{0,49}");
  static final Pattern GUID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern CUSTOMER = Pattern.compile("(accounts|contacts)\\((" + GUID + ")\\)");
  private static final Pattern VERSION = Pattern.compile("9\\.[0-9]");
  private static final Pattern STATUS = Pattern.compile("[0-9]{1,9}");
  static final int MAX_PAGE_SIZE = 5000;

  public DynamicsSettings {
    Objects.requireNonNull(environment, "environment == null");
    Objects.requireNonNull(apiVersion, "apiVersion == null");
    Objects.requireNonNull(login, "login == null");
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(closeStatus, "closeStatus == null");
    resolvedStatuses = Set.copyOf(Objects.requireNonNull(resolvedStatuses, "resolvedStatuses == null"));
    cancelledStatuses = Set.copyOf(Objects.requireNonNull(cancelledStatuses, "cancelledStatuses == null"));
    Objects.requireNonNull(location, "location == null");
    Objects.requireNonNull(connectTimeout, "connectTimeout == null");
    Objects.requireNonNull(readTimeout, "readTimeout == null");
    if (!VERSION.matcher(apiVersion).matches()) {
      throw new IllegalArgumentException("api_version must look like 9.2, not '" + apiVersion + "'");
    }
    if (!CUSTOMER.matcher(customer).matches()) {
      throw new IllegalArgumentException("customer must be accounts(<guid>) or contacts(<guid>), not '"
          + customer + "'");
    }
    for (var column : new String[][] {{"alternate_key_column", alternateKeyColumn},
        {"update_id_column", updateIdColumn}, {"case_type_column", caseTypeColumn}}) {
      if (column[1] == null || !COLUMN.matcher(column[1]).matches()) {
        throw new IllegalArgumentException(
            column[0] + " must be a column's logical name, not '" + column[1] + "'");
      }
    }
    for (String column : location.names()) {
      if (!COLUMN.matcher(column).matches()) {
        throw new IllegalArgumentException(
            "location columns must be columns' logical names, not '" + column + "'");
      }
    }
    for (String status : concat(Set.of(closeStatus), resolvedStatuses, cancelledStatuses)) {
      if (!STATUS.matcher(status).matches()) {
        throw new IllegalArgumentException("status codes are whole numbers, not '" + status + "'");
      }
    }
    if (!resolvedStatuses.contains(closeStatus)) {
      throw new IllegalArgumentException("close_status " + closeStatus
          + " must be one of resolved_statuses " + resolvedStatuses);
    }
    if (resolvedStatuses.stream().anyMatch(cancelledStatuses::contains)) {
      throw new IllegalArgumentException("a status code cannot be both resolved and cancelled");
    }
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException("page_size must be between 1 and 5000, was " + pageSize);
    }
  }

  /**
   * Defaults for the standard {@code incident}: Web origin, closing to 5 (Problem Solved),
   * Resolved 5 and 1000 (Information Provided), Cancelled 6 and 2000 (Merged), columns
   * {@code new_externalreference}, {@code new_civicsyncupdateid} and {@code new_category}.
   */
  public static DynamicsSettings of(HttpUrl environment, EntraLogin login, String customer) {
    return new DynamicsSettings(environment, "9.2", login, customer, "new_externalreference",
        "new_civicsyncupdateid", "new_category", 3, "5", Set.of("5", "1000"), Set.of("6", "2000"),
        LocationFields.NONE, 500, false, Duration.ofSeconds(10), Duration.ofSeconds(30));
  }

  public DynamicsSettings withLogin(EntraLogin value) {
    return new DynamicsSettings(environment, apiVersion, value, customer, alternateKeyColumn,
        updateIdColumn, caseTypeColumn, caseOriginCode, closeStatus, resolvedStatuses,
        cancelledStatuses, location, pageSize, changeTracking, connectTimeout, readTimeout);
  }

  public DynamicsSettings withPageSize(int value) {
    return new DynamicsSettings(environment, apiVersion, login, customer, alternateKeyColumn,
        updateIdColumn, caseTypeColumn, caseOriginCode, closeStatus, resolvedStatuses,
        cancelledStatuses, location, value, changeTracking, connectTimeout, readTimeout);
  }

  public DynamicsSettings withReadTimeout(Duration value) {
    return new DynamicsSettings(environment, apiVersion, login, customer, alternateKeyColumn,
        updateIdColumn, caseTypeColumn, caseOriginCode, closeStatus, resolvedStatuses,
        cancelledStatuses, location, pageSize, changeTracking, connectTimeout, value);
  }

  public DynamicsSettings withChangeTracking(boolean value) {
    return new DynamicsSettings(environment, apiVersion, login, customer, alternateKeyColumn,
        updateIdColumn, caseTypeColumn, caseOriginCode, closeStatus, resolvedStatuses,
        cancelledStatuses, location, pageSize, value, connectTimeout, readTimeout);
  }

  public DynamicsSettings withLocation(LocationFields value) {
    return new DynamicsSettings(environment, apiVersion, login, customer, alternateKeyColumn,
        updateIdColumn, caseTypeColumn, caseOriginCode, closeStatus, resolvedStatuses,
        cancelledStatuses, value, pageSize, changeTracking, connectTimeout, readTimeout);
  }

  /** {@code /api/data/v9.2/} on the environment. */
  HttpUrl.Builder api() {
    return environment.newBuilder().encodedPath("/").addPathSegments("api/data")
        .addPathSegment("v" + apiVersion);
  }

  /** The statecode a status code belongs to: 1 Resolved, 2 Cancelled, 0 Active. */
  int stateOf(String statusCode) {
    return resolvedStatuses.contains(statusCode) ? 1 : cancelledStatuses.contains(statusCode) ? 2 : 0;
  }

  /** {@code customerid_account@odata.bind} or {@code customerid_contact@odata.bind}. */
  String customerBinding() {
    return customer.startsWith("accounts(")
        ? "customerid_account@odata.bind" : "customerid_contact@odata.bind";
  }

  @SafeVarargs
  private static Set<String> concat(Set<String>... sets) {
    Set<String> all = new java.util.LinkedHashSet<>();
    for (Set<String> s : sets) {
      all.addAll(s);
    }
    return all;
  }
}
