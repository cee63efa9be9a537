package org.civicsync.core.model;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a problem is. Open311 takes any of a point, a free-text address, or an address id; FixMyStreet
 * sends {@code address_id=#NOTPINPOINTED#} when the citizen did not place a pin.
 */
public record Location(
    Optional<Coordinates> coordinates,
    Optional<String> address,
    Optional<String> addressId,
    Optional<String> zipcode) {

  /** FixMyStreet's address id for a report without a pin on the map. */
  public static final String NOT_PINPOINTED = "#NOTPINPOINTED#";

  public static final Location NONE =
      new Location(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  public Location {
    Objects.requireNonNull(coordinates, "coordinates == null");
    Objects.requireNonNull(address, "address == null");
    Objects.requireNonNull(addressId, "addressId == null");
    Objects.requireNonNull(zipcode, "zipcode == null");
  }

  public static Location at(Coordinates point) {
    return new Location(Optional.of(point), Optional.empty(), Optional.empty(), Optional.empty());
  }

  public static Location at(String lat, String lon) {
    return at(Coordinates.of(lat, lon));
  }

  public Location withAddress(String value) {
    return new Location(coordinates, Text.optional(value), addressId, zipcode);
  }

  public Location withAddressId(String value) {
    return new Location(coordinates, address, Text.optional(value), zipcode);
  }

  public Location withZipcode(String value) {
    return new Location(coordinates, address, addressId, Text.optional(value));
  }

  /** True when the spec's rule for a create is met: a point, an address or an address id. */
  public boolean isSpecified() {
    return coordinates.isPresent() || address.isPresent() || addressId.isPresent();
  }

  public boolean isNotPinpointed() {
    return addressId.filter(NOT_PINPOINTED::equals).isPresent();
  }
}
