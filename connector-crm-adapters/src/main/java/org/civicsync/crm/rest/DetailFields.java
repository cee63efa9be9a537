package org.civicsync.crm.rest;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import org.civicsync.core.model.Coordinates;
import org.civicsync.core.model.Location;
import org.civicsync.core.model.Report;

/**
 * Where a case's public particulars are in the answer of the {@code details} operation, as
 * RFC 6901 JSON Pointers relative to the case ({@code response.case}). Serve mode shows a case
 * raised in the CRM with them. There is deliberately no pointer for a name, e-mail or phone: the
 * adapter never reads contact details back, whatever the answer holds.
 *
 * @param requestedAt read in the format of {@code modified_time}, as the CRM's other times
 * @param nonPublic a boolean, or the text {@code true}
 */
record DetailFields(
    Optional<JsonPointer> title,
    Optional<JsonPointer> description,
    Optional<JsonPointer> latitude,
    Optional<JsonPointer> longitude,
    Optional<JsonPointer> address,
    Optional<JsonPointer> requestedAt,
    Optional<JsonPointer> mediaUrl,
    Optional<JsonPointer> nonPublic) {

  DetailFields {
    Objects.requireNonNull(title, "title == null");
    Objects.requireNonNull(description, "description == null");
    Objects.requireNonNull(latitude, "latitude == null");
    Objects.requireNonNull(longitude, "longitude == null");
    Objects.requireNonNull(address, "address == null");
    Objects.requireNonNull(requestedAt, "requestedAt == null");
    Objects.requireNonNull(mediaUrl, "mediaUrl == null");
    Objects.requireNonNull(nonPublic, "nonPublic == null");
  }

  /**
   * One case object as a report. A point needs both coordinates; a missing or null value is
   * absent.
   *
   * @throws IllegalArgumentException when a coordinate is not a number or the time is not in
   *     {@code time}'s format
   */
  Report read(JsonNode node, ModifiedTime time) {
    Report.Builder report = Report.builder();
    title.flatMap(p -> CaseShape.text(node, p)).ifPresent(report::title);
    description.flatMap(p -> CaseShape.text(node, p)).ifPresent(report::description);
    Optional<BigDecimal> lat = latitude.flatMap(p -> number(node, p));
    Optional<BigDecimal> lon = longitude.flatMap(p -> number(node, p));
    Location location = lat.isPresent() && lon.isPresent()
        ? Location.at(new Coordinates(lat.get(), lon.get())) : Location.NONE;
    Optional<String> where = address.flatMap(p -> CaseShape.text(node, p));
    report.location(where.isPresent() ? location.withAddress(where.get()) : location);
    requestedAt.ifPresent(p -> {
      JsonNode value = node.at(p);
      if (!value.isMissingNode() && !value.isNull()) {
        try {
          report.requested(time.parse(value).atOffset(ZoneOffset.UTC));
        } catch (DateTimeException e) {
          throw new IllegalArgumentException("requested time at " + CaseShape.pointer(p)
              + " is not " + time + ": '" + value.asText() + "'");
        }
      }
    });
    mediaUrl.flatMap(p -> CaseShape.text(node, p)).ifPresent(report::addMediaUrl);
    nonPublic.ifPresent(p -> report.nonPublic(node.at(p).asBoolean(false)));
    return report.build();
  }

  private static Optional<BigDecimal> number(JsonNode node, JsonPointer pointer) {
    JsonNode value = node.at(pointer);
    if (value.isNumber()) {
      return Optional.of(value.decimalValue());
    }
    return CaseShape.text(node, pointer).map(text -> {
      try {
        return new BigDecimal(text.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "coordinate at " + CaseShape.pointer(pointer) + " is not a number: '" + text + "'");
      }
    });
  }
}
