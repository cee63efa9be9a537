package org.civicsync.crm.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.civicsync.core.model.Coordinates;
import org.civicsync.core.model.Location;

/**
 * The fields of a CRM's case where a report's location goes, when the council has made them
 * (no vendor's case has a standard latitude and longitude): create writes them and
 * {@code CaseDetails} reads them back, so that a case raised in the CRM is served with a place.
 * Without them an adapter stores no location. Shared by the adapters of this module only.
 *
 * @param latitude the decimal field for the latitude; given with {@code longitude} or not at all
 * @param address a text field for the address
 */
public record LocationFields(
    Optional<String> latitude, Optional<String> longitude, Optional<String> address) {
  public static final LocationFields NONE =
      new LocationFields(Optional.empty(), Optional.empty(), Optional.empty());

  public LocationFields {
    Objects.requireNonNull(latitude, "latitude == null");
    Objects.requireNonNull(longitude, "longitude == null");
    Objects.requireNonNull(address, "address == null");
    if (latitude.isPresent() != longitude.isPresent()) {
      throw new IllegalArgumentException(
          "the latitude and the longitude field go together: a point needs both");
    }
  }

  /** The configured names: latitude, longitude, address. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    latitude.ifPresent(names::add);
    longitude.ifPresent(names::add);
    address.ifPresent(names::add);
    return names;
  }

  /**
   * The values of {@code location} by field name, for the fields configured and the parts the
   * location has: the coordinates as decimals, the address as text.
   */
  public Map<String, Object> values(Location location) {
    Map<String, Object> values = new LinkedHashMap<>();
    location.coordinates().ifPresent(c -> {
      latitude.ifPresent(f -> values.put(f, c.lat()));
      longitude.ifPresent(f -> values.put(f, c.lon()));
    });
    location.address().ifPresent(a -> this.address.ifPresent(f -> values.put(f, a)));
    return values;
  }

  /**
   * The location in a record whose field values {@code text} answers (empty for a missing or
   * empty one): a point only when both coordinates are there.
   *
   * @throws IllegalArgumentException when a coordinate is not a number
   */
  public Location read(Function<String, Optional<String>> text) {
    Optional<BigDecimal> lat = latitude.flatMap(text).map(v -> number(latitude.get(), v));
    Optional<BigDecimal> lon = longitude.flatMap(text).map(v -> number(longitude.get(), v));
    Location location = lat.isPresent() && lon.isPresent()
        ? Location.at(new Coordinates(lat.get(), lon.get())) : Location.NONE;
    Optional<String> where = address.flatMap(text);
    return where.isPresent() ? location.withAddress(where.get()) : location;
  }

  private static BigDecimal number(String field, String value) {
    try {
      return new BigDecimal(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + " is not a number: '" + value + "'");
    }
  }
}
