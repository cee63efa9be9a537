package org.civicsync.open311.server;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.civicsync.core.model.Datatype;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.ServiceAttribute;
import org.civicsync.core.model.ServiceDefinition;
import org.civicsync.core.model.W3cDateTime;

/** What GeoReport v2 requires of a {@code POST requests}, each refusal naming its field. */
final class ReportValidation {
  static final int MAX_DESCRIPTION = 4000;

  private ReportValidation() {}

  static void check(Report report, Optional<ServiceDefinition> definition) {
    if (!report.location().isSpecified()) {
      throw ClientMistake.badRequest(
          "location: lat and long, address_string or address_id required");
    }
    report.location().coordinates().ifPresent(c -> {
      if (!c.isValidWgs84()) {
        throw ClientMistake.badRequest("lat/long: outside WGS84 (" + c.lat() + ", " + c.lon() + ")");
      }
    });
    if (report.description().map(String::length).orElse(0) > MAX_DESCRIPTION) {
      throw ClientMistake.badRequest("description: longer than " + MAX_DESCRIPTION + " characters");
    }
    if (definition.isEmpty()) {
      return;
    }
    for (ServiceAttribute a : definition.get().attributes()) {
      List<String> values = report.attributes().all(a.code());
      String field = "attribute[" + a.code() + "]";
      if (values.isEmpty() || values.stream().allMatch(String::isBlank)) {
        if (a.required() && a.variable()) {
          throw ClientMistake.badRequest(field + ": required");
        }
        continue;
      }
      if (values.size() > 1 && a.datatype() != Datatype.MULTIVALUELIST) {
        throw ClientMistake.badRequest(field + ": one value expected, " + values.size() + " sent");
      }
      for (String v : values) {
        checkValue(a, field, v);
      }
    }
  }

  private static void checkValue(ServiceAttribute a, String field, String v) {
    switch (a.datatype()) {
      case NUMBER -> {
        try {
          new BigDecimal(v.strip());
        } catch (NumberFormatException e) {
          throw ClientMistake.badRequest(field + ": '" + Open311Server.clip(v) + "' is not a number");
        }
      }
      case DATETIME -> {
        try {
          W3cDateTime.parse(v);
        } catch (IllegalArgumentException e) {
          throw ClientMistake.badRequest(field + ": " + e.getMessage());
        }
      }
      case SINGLEVALUELIST, MULTIVALUELIST -> {
        if (!a.values().isEmpty() && a.values().stream().noneMatch(k -> k.key().equals(v))) {
          throw ClientMistake.badRequest(field + ": '" + Open311Server.clip(v)
              + "' is not one of its values");
        }
      }
      default -> { }
    }
  }
}
