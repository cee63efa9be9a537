package org.civicsync.crm.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * How the CRM writes its modified times, both in its records and in the {@code {since}} of the
 * changes URL: an ISO-8601 instant or offset date-time, epoch milliseconds, or a local date-time
 * in a stated zone (CRMs that store wall-clock time).
 */
sealed interface ModifiedTime {
  java.util.Set<String> FORMATS = java.util.Set.of("iso_instant", "epoch_millis", "local");

  Instant parse(JsonNode value);

  String format(Instant time);

  /** {@code 2024-07-01T09:00:00Z} or {@code 2024-07-01T10:00:00+01:00}; written as UTC. */
  record IsoInstant() implements ModifiedTime {
    @Override
    public Instant parse(JsonNode value) {
      return OffsetDateTime.parse(value.asText()).toInstant();
    }

    @Override
    public String format(Instant time) {
      return time.toString();
    }

    @Override
    public String toString() {
      return "an ISO-8601 date-time with offset";
    }
  }

  /** Milliseconds since 1970-01-01T00:00:00Z, as a JSON number or a string of digits. */
  record EpochMillis() implements ModifiedTime {
    @Override
    public Instant parse(JsonNode value) {
      String text = value.asText();
      if (!text.matches("-?\\d{1,19}")) {
        throw new DateTimeException("not epoch milliseconds: '" + text + "'");
      }
      return Instant.ofEpochMilli(Long.parseLong(text));
    }

    @Override
    public String format(Instant time) {
      return Long.toString(time.toEpochMilli());
    }

    @Override
    public String toString() {
      return "epoch milliseconds";
    }
  }

  /** Wall-clock time in {@code zone}, in {@code pattern} ({@code yyyy-MM-dd HH:mm:ss}). */
  record Local(ZoneId zone, String pattern) implements ModifiedTime {
    public Local {
      Objects.requireNonNull(zone, "zone == null");
      Objects.requireNonNull(pattern, "pattern == null");
      DateTimeFormatter.ofPattern(pattern); // fails now on a bad pattern, not on the first read
    }

    @Override
    public Instant parse(JsonNode value) {
      return LocalDateTime.parse(value.asText(), DateTimeFormatter.ofPattern(pattern))
          .atZone(zone).toInstant();
    }

    @Override
    public String format(Instant time) {
      return DateTimeFormatter.ofPattern(pattern).format(time.atZone(zone));
    }

    @Override
    public String toString() {
      return "local time " + pattern + " in " + zone;
    }
  }
}
