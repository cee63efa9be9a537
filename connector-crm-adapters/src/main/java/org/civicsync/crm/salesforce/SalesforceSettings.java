package org.civicsync.crm.salesforce;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import org.civicsync.crm.internal.LocationFields;

/**
 * How to reach one Salesforce org and which Case fields the connector uses.
 *
 * @param instance the org's My Domain URL, e.g. {@code https://council.my.salesforce.com}: the
 *     REST API is called there
 * @param tokenUrlBase where {@code /services/oauth2/token} is: the My Domain for client
 *     credentials, {@code https://login.salesforce.com} (or the My Domain) for JWT bearer
 * @param apiVersion e.g. {@code 60.0}
 * @param idempotencyKeyField an External ID (unique) text field on Case, e.g.
 *     {@code CivicSync_Key__c}: creates are upserts keyed on it
 * @param externalReferenceField a text field holding the Open311 reference, searched by lookup;
 *     may be the same field as {@code idempotencyKeyField} only if both values are equal
 * @param updateIdField a text field where each applied update leaves its id, so a resend is
 *     recognised and the case's {@code SystemModstamp} moves with every update
 * @param caseTypeField the picklist the case type goes to, {@code Type} by default
 * @param origin the {@code Origin} a new case gets, e.g. {@code Web}
 * @param closedStatus the {@code Status} a close sets when the mapping gives none
 * @param location number fields of Case for a report's latitude and longitude (a Geolocation
 *     field's {@code Location__Latitude__s} and {@code Location__Longitude__s} will do) and a
 *     text field for its address, or {@link LocationFields#NONE}: Case has none of its own
 * @param quotaCeiling fraction of the org's daily API requests ({@code Sforce-Limit-Info}) above
 *     which the adapter stops calling, leaving the rest to the council's other integrations
 * @param quotaPause how long to stay away once above the ceiling
 * @param queryBatchSize the SOQL batch size asked with {@code Sforce-Query-Options} (200–2000)
 */
public record SalesforceSettings(
    HttpUrl instance,
    HttpUrl tokenUrlBase,
    String apiVersion,
    SalesforceLogin login,
    String idempotencyKeyField,
    String externalReferenceField,
    String updateIdField,
    String caseTypeField,
    String origin,
    String closedStatus,
    LocationFields location,
    double quotaCeiling,
    Duration quotaPause,
    int queryBatchSize,
    Duration connectTimeout,
    Duration readTimeout) {

  /** A field's API name: standard ({@code Type}) or custom ({@code CivicSync_Key__c}). */
  static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");
  private static final Pattern VERSION = Pattern.compile("\\d{2}\\.0");

  public SalesforceSettings {
    Objects.requireNonNull(instance, "instance == null");
    Objects.requireNonNull(tokenUrlBase, "tokenUrlBase == null");
    Objects.requireNonNull(apiVersion, "apiVersion == null");
    Objects.requireNonNull(login, "login == null");
    Objects.requireNonNull(origin, "origin == null");
    Objects.requireNonNull(closedStatus, "closedStatus == null");
    Objects.requireNonNull(location, "location == null");
    Objects.requireNonNull(quotaPause, "quotaPause == null");
    Objects.requireNonNull(connectTimeout, "connectTimeout == null");
    Objects.requireNonNull(readTimeout, "readTimeout == null");
    if (!VERSION.matcher(apiVersion).matches()) {
      throw new IllegalArgumentException("api_version must look like 60.0, not '" + apiVersion + "'");
    }
    for (var field : new String[][] {{"idempotency_key_field", idempotencyKeyField},
        {"external_reference_field", externalReferenceField}, {"update_id_field", updateIdField},
        {"case_type_field", caseTypeField}}) {
      if (field[1] == null || !FIELD.matcher(field[1]).matches()) {
        throw new IllegalArgumentException(field[0] + " must be a field API name, not '" + field[1] + "'");
      }
    }
    for (String field : location.names()) {
      if (!FIELD.matcher(field).matches()) {
        throw new IllegalArgumentException("location fields must be field API names, not '"
            + field + "'");
      }
    }
    if (!(quotaCeiling > 0 && quotaCeiling <= 1)) {
      throw new IllegalArgumentException("api_quota_ceiling must be in (0, 1], was " + quotaCeiling);
    }
    if (queryBatchSize < 200 || queryBatchSize > 2000) {
      throw new IllegalArgumentException(
          "query_batch_size must be between 200 and 2000, was " + queryBatchSize);
    }
  }

  /** Defaults: API 60.0, tokens from the instance, {@code CivicSync_*__c} fields, close to Closed. */
  public static SalesforceSettings of(HttpUrl instance, SalesforceLogin login) {
    return new SalesforceSettings(instance, instance, "60.0", login, "CivicSync_Key__c",
        "CivicSync_Reference__c", "CivicSync_Update__c", "Type", "Web", "Closed",
        LocationFields.NONE, 0.9, Duration.ofMinutes(15), 2000, Duration.ofSeconds(10),
        Duration.ofSeconds(30));
  }

  public SalesforceSettings withLogin(SalesforceLogin value) {
    return new SalesforceSettings(instance, tokenUrlBase, apiVersion, value, idempotencyKeyField,
        externalReferenceField, updateIdField, caseTypeField, origin, closedStatus, location,
        quotaCeiling, quotaPause, queryBatchSize, connectTimeout, readTimeout);
  }

  public SalesforceSettings withReadTimeout(Duration value) {
    return new SalesforceSettings(instance, tokenUrlBase, apiVersion, login, idempotencyKeyField,
        externalReferenceField, updateIdField, caseTypeField, origin, closedStatus, location,
        quotaCeiling, quotaPause, queryBatchSize, connectTimeout, value);
  }

  public SalesforceSettings withQueryBatchSize(int value) {
    return new SalesforceSettings(instance, tokenUrlBase, apiVersion, login, idempotencyKeyField,
        externalReferenceField, updateIdField, caseTypeField, origin, closedStatus, location,
        quotaCeiling, quotaPause, value, connectTimeout, readTimeout);
  }

  public SalesforceSettings withLocation(LocationFields value) {
    return new SalesforceSettings(instance, tokenUrlBase, apiVersion, login, idempotencyKeyField,
        externalReferenceField, updateIdField, caseTypeField, origin, closedStatus, value,
        quotaCeiling, quotaPause, queryBatchSize, connectTimeout, readTimeout);
  }

  /** {@code /services/data/vXX.X/} on the instance. */
  HttpUrl.Builder data() {
    return instance.newBuilder().addPathSegments("services/data").addPathSegment("v" + apiVersion);
  }

  HttpUrl tokenUrl() {
    return tokenUrlBase.newBuilder().addPathSegments("services/oauth2/token").build();
  }

  /** The Case fields the adapter reads. */
  String caseFields() {
    Set<String> fields = new java.util.LinkedHashSet<>(java.util.List.of("Id", "CaseNumber",
        caseTypeField, "Status", "IsClosed", externalReferenceField, updateIdField,
        "SystemModstamp"));
    return String.join(", ", fields);
  }
}
