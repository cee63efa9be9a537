package org.civicsync.open311.codec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.civicsync.core.model.Contact;
import org.civicsync.core.model.Coordinates;
import org.civicsync.core.model.Location;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.model.Status;
import org.civicsync.core.model.W3cDateTime;

/**
 * The form fields of {@code POST requests} and {@code POST servicerequestupdates}, both ways:
 * a client writes them from the model, a server reads the model back from them.
 */
public final class FormCodec {
  /** How a list attribute's several values are written on POST. */
  public enum MultiValueStyle {
    /** {@code attribute[x][]=a&attribute[x][]=b}: the GeoReport v2 specification's form. */
    BRACKETS,
    /** {@code attribute[x]=a&attribute[x]=b}: what FixMyStreet sends. */
    REPEATED_KEY
  }

  private FormCodec() {}

  /**
   * The fields for {@code POST requests}, without {@code api_key} and {@code jurisdiction_id}
   * (the client adds those).
   */
  public static List<Map.Entry<String, String>> requestFields(Report report, MultiValueStyle style) {
    List<Map.Entry<String, String>> f = new ArrayList<>();
    put(f, "service_code", report.serviceCode());
    Location location = report.location();
    location.coordinates().ifPresent(point -> {
      f.add(Map.entry("lat", point.lat().toPlainString()));
      f.add(Map.entry("long", point.lon().toPlainString()));
    });
    put(f, "address_string", location.address());
    put(f, "address_id", location.addressId());
    Contact c = report.contact();
    put(f, "email", c.email());
    put(f, "device_id", c.deviceId());
    put(f, "account_id", c.accountId());
    put(f, "first_name", c.firstName());
    put(f, "last_name", c.lastName());
    put(f, "phone", c.phone());
    put(f, "description", report.description());
    report.mediaUrls().forEach(url -> f.add(Map.entry("media_url", url)));
    report.attributes().asMap().forEach((code, values) -> {
      String key = "attribute[" + code + "]"
          + (values.size() > 1 && style == MultiValueStyle.BRACKETS ? "[]" : "");
      values.forEach(v -> f.add(Map.entry(key, v)));
    });
    return f;
  }

  /**
   * The fields for {@code POST servicerequestupdates}, without {@code api_key} and
   * {@code jurisdiction_id}. Status is written in upper case, as FixMyStreet writes it; for a peer
   * without extended statuses pass {@code extended = false} to send OPEN or CLOSED.
   */
  public static List<Map.Entry<String, String>> updateFields(ReportUpdate update, boolean extended) {
    Status status = update.status().orElseThrow(() ->
        new IllegalArgumentException("update " + update.updateId().orElse("?") + " has no status"));
    if (!extended && status == Status.UNCHANGED) {
      throw new IllegalArgumentException("UNCHANGED cannot be sent to a peer without extended "
          + "statuses: send the report's current status with the note");
    }
    List<Map.Entry<String, String>> f = new ArrayList<>();
    put(f, "service_request_id", update.serviceRequestId());
    put(f, "update_id", update.updateId());
    f.add(Map.entry("status", (extended ? status : status.plain()).name()));
    f.add(Map.entry("updated_datetime", update.updated().map(W3cDateTime::format).orElseThrow(() ->
        new IllegalArgumentException("update " + update.updateId().orElse("?")
            + " has no updated_datetime"))));
    // Required by the extension even when there is nothing to say.
    f.add(Map.entry("description", update.description().orElse("")));
    update.mediaUrls().forEach(url -> f.add(Map.entry("media_url", url)));
    put(f, "external_status_code", update.externalStatusCode());
    Contact c = update.contact();
    put(f, "email", c.email());
    put(f, "first_name", c.firstName());
    put(f, "last_name", c.lastName());
    put(f, "phone", c.phone());
    put(f, "service_code", update.serviceCode());
    update.attributes().asMap().forEach((code, values) ->
        values.forEach(v -> f.add(Map.entry("attribute[" + code + "]", v))));
    return f;
  }

  /**
   * Reads a report from the fields of {@code POST requests}. Accepts {@code deviceid} (what
   * FixMyStreet sends) as well as {@code device_id}, and both multi-value styles.
   *
   * @throws IllegalArgumentException naming the field whose value is malformed
   */
  public static Report readRequest(FormFields form) {
    Report.Builder b = Report.builder()
        .serviceCode(form.first("service_code").orElse(null))
        .description(form.first("description").orElse(null));
    Optional<String> lat = form.first("lat");
    Optional<String> lon = form.first("long");
    Location location = Location.NONE;
    if (lat.isPresent() && lon.isPresent()) {
      location = Location.at(new Coordinates(number(lat.get(), "lat"), number(lon.get(), "long")));
    } else if (lat.isPresent() || lon.isPresent()) {
      throw new IllegalArgumentException("lat and long must be sent together");
    }
    b.location(location.withAddress(form.first("address_string").orElse(null))
        .withAddressId(form.first("address_id").orElse(null)));
    b.contact(Contact.of(form.first("first_name").orElse(null), form.first("last_name").orElse(null),
            form.first("email").orElse(null), form.first("phone").orElse(null))
        .withDeviceId(form.first("device_id").or(() -> form.first("deviceid")).orElse(null))
        .withAccountId(form.first("account_id").orElse(null)));
    form.all("media_url").stream().filter(s -> !s.isBlank()).forEach(b::addMediaUrl);
    form.attributes().forEach((code, values) -> values.forEach(v -> b.attribute(code, v)));
    return b.build();
  }

  /**
   * Reads an update from the fields of {@code POST servicerequestupdates}.
   *
   * @throws IllegalArgumentException naming the field whose value is malformed (a status word
   *     outside the vocabulary, a datetime without a zone)
   */
  public static ReportUpdate readUpdate(FormFields form) {
    ReportUpdate.Builder b = ReportUpdate.builder()
        .serviceRequestId(form.first("service_request_id").orElse(null))
        .updateId(form.first("update_id").orElse(null))
        .description(form.first("description").orElse(null))
        .externalStatusCode(form.first("external_status_code").orElse(null))
        .serviceCode(form.first("service_code").orElse(null))
        .contact(Contact.of(form.first("first_name").orElse(null),
            form.first("last_name").orElse(null), form.first("email").orElse(null),
            form.first("phone").orElse(null)));
    form.first("status").ifPresent(s -> b.status(field("status", s, Status::parse)));
    form.first("updated_datetime")
        .ifPresent(s -> b.updated(field("updated_datetime", s, W3cDateTime::parse)));
    form.all("media_url").stream().filter(s -> !s.isBlank()).forEach(b::addMediaUrl);
    form.attributes().forEach((code, values) -> values.forEach(v -> b.attribute(code, v)));
    return b.build();
  }

  /** Parses one field's value; a bad value's error names the field. */
  private static <T> T field(String name, String value, Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }

  private static BigDecimal number(String value, String field) {
    try {
      return new BigDecimal(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + " is not a number: '" + value + "'");
    }
  }

  private static void put(List<Map.Entry<String, String>> f, String key, Optional<String> value) {
    value.ifPresent(v -> f.add(Map.entry(key, v)));
  }
}
