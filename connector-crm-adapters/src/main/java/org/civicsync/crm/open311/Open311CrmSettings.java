package org.civicsync.crm.open311;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.civicsync.open311.Format;

/**
 * How to reach a back office that itself speaks GeoReport v2, and what it can do.
 *
 * @param endpoint the GeoReport v2 base URL (ending in {@code /} or not)
 * @param apiKey sent in every POST (and on {@code GET servicerequestupdates}, as FixMyStreet
 *     does); never logged
 * @param updateExtension whether the back office has mySociety's update extension
 *     ({@code GET}/{@code POST servicerequestupdates}); without it the adapter has no
 *     {@link org.civicsync.core.spi.CaseUpdates} and its feed re-reads requests by window
 * @param extendedStatuses false for a back office that knows only OPEN and CLOSED
 * @param referenceAttribute the {@code attribute[...]} the external reference is sent in; the
 *     back office must echo it in {@code GET requests} (as a field or inside {@code extras}) for
 *     a lost create to be settled by a search
 * @param lookupWindow how far back a search by external reference (and for an update id
 *     already applied) reads {@code GET requests} / {@code GET servicerequestupdates}
 * @param feedWindow without the extension: the {@code requested_datetime} window re-read on every
 *     feed call; a request older than this that changes is not seen
 */
public record Open311CrmSettings(
    String endpoint,
    Optional<String> apiKey,
    Optional<String> jurisdictionId,
    Format format,
    boolean updateExtension,
    boolean extendedStatuses,
    String referenceAttribute,
    Duration lookupWindow,
    Duration feedWindow,
    Duration connectTimeout,
    Duration readTimeout,
    Clock clock) {

  public Open311CrmSettings {
    Objects.requireNonNull(endpoint, "endpoint == null");
    Objects.requireNonNull(apiKey, "apiKey == null");
    Objects.requireNonNull(jurisdictionId, "jurisdictionId == null");
    Objects.requireNonNull(format, "format == null");
    Objects.requireNonNull(referenceAttribute, "referenceAttribute == null");
    if (!referenceAttribute.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("reference_attribute must be an attribute code "
          + "(letters, digits, _ . -), was '" + referenceAttribute + "'");
    }
    positive(lookupWindow, "lookup_window");
    positive(feedWindow, "feed_window");
    positive(connectTimeout, "connect_timeout");
    positive(readTimeout, "read_timeout");
    Objects.requireNonNull(clock, "clock == null");
  }

  /** A back office with the update extension and extended statuses, XML, a week of look-back. */
  public static Open311CrmSettings withUpdates(String endpoint, String apiKey) {
    return new Open311CrmSettings(endpoint, Optional.ofNullable(apiKey).filter(k -> !k.isBlank()),
        Optional.empty(), Format.XML, true, true, "civicsync_reference", Duration.ofDays(7),
        Duration.ofDays(30), Duration.ofSeconds(10), Duration.ofSeconds(60), Clock.systemUTC());
  }

  public Open311CrmSettings withUpdateExtension(boolean value) {
    return new Open311CrmSettings(endpoint, apiKey, jurisdictionId, format, value,
        extendedStatuses, referenceAttribute, lookupWindow, feedWindow, connectTimeout,
        readTimeout, clock);
  }

  public Open311CrmSettings withApiKey(String value) {
    return new Open311CrmSettings(endpoint, Optional.ofNullable(value), jurisdictionId, format,
        updateExtension, extendedStatuses, referenceAttribute, lookupWindow, feedWindow,
        connectTimeout, readTimeout, clock);
  }

  public Open311CrmSettings withReadTimeout(Duration value) {
    return new Open311CrmSettings(endpoint, apiKey, jurisdictionId, format, updateExtension,
        extendedStatuses, referenceAttribute, lookupWindow, feedWindow, connectTimeout, value,
        clock);
  }

  public Open311CrmSettings withClock(Clock value) {
    return new Open311CrmSettings(endpoint, apiKey, jurisdictionId, format, updateExtension,
        extendedStatuses, referenceAttribute, lookupWindow, feedWindow, connectTimeout,
        readTimeout, value);
  }

  @Override
  public String toString() {
    // Never the api_key.
    return "Open311CrmSettings[endpoint=" + endpoint + ", jurisdiction_id="
        + jurisdictionId.orElse("-") + ", format=" + format + ", update_extension="
        + updateExtension + ", extended_statuses=" + extendedStatuses + "]";
  }

  private static void positive(Duration value, String name) {
    Objects.requireNonNull(value, name + " == null");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
