package org.civicsync.core.model;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A WGS84 point. Kept as decimals, not doubles, so that {@code 25.0081830} goes back out exactly
 * as it came in. Out-of-range values are kept too: real endpoints send them (lat 100) and dropping
 * the report would lose it; range checks belong to whoever creates a case from it.
 */
public record Coordinates(BigDecimal lat, BigDecimal lon) {
  public Coordinates {
    Objects.requireNonNull(lat, "lat == null");
    Objects.requireNonNull(lon, "lon == null");
  }

  public static Coordinates of(String lat, String lon) {
    return new Coordinates(new BigDecimal(lat.strip()), new BigDecimal(lon.strip()));
  }

  public static Coordinates of(double lat, double lon) {
    return new Coordinates(BigDecimal.valueOf(lat), BigDecimal.valueOf(lon));
  }

  /** True when both lie within -90..90 and -180..180. */
  public boolean isValidWgs84() {
    return lat.abs().compareTo(BigDecimal.valueOf(90)) <= 0
        && lon.abs().compareTo(BigDecimal.valueOf(180)) <= 0;
  }
}
