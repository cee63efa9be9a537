package org.civicsync.core.model;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * The W3C profile of ISO 8601 that Open311 uses for every date, which must carry a zone.
 *
 * <p>Accepted on input: {@code 2010-04-14T06:37:38-08:00}, {@code …Z}, {@code …+0100},
 * {@code …+01}, fractional seconds of any length, minutes without seconds. A value without a zone
 * is refused: guessing the zone would shift every time in a council's feed by hours.
 * Output is always {@code yyyy-MM-ddTHH:mm:ss} followed by {@code Z} or {@code ±hh:mm}.
 */
public final class W3cDateTime {
  private static final DateTimeFormatter OUTPUT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

  private W3cDateTime() {}

  /**
   * Parses a W3C datetime.
   *
   * @throws IllegalArgumentException quoting the value and saying what is wrong with it
   */
  public static OffsetDateTime parse(String value) {
    Objects.requireNonNull(value, "value == null");
    String s = value.strip();
    try {
      return parseStrict(s);
    } catch (DateTimeException | IndexOutOfBoundsException | NumberFormatException e) {
      throw new IllegalArgumentException(
          "invalid W3C datetime '" + value + "': expected yyyy-MM-ddTHH:mm[:ss[.fff]] followed by "
              + "Z or ±hh:mm" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
    }
  }

  private static OffsetDateTime parseStrict(String s) {
    // Hand-rolled: the parser runs several times per request in a 1,000-request page, and
    // DateTimeFormatter with optional sections is several times slower than this.
    if (s.length() < 16 || s.charAt(4) != '-' || s.charAt(7) != '-') {
      throw new DateTimeException("not a date and time");
    }
    char sep = s.charAt(10);
    if (sep != 'T' && sep != 't' && sep != ' ') {
      throw new DateTimeException("no 'T' between date and time");
    }
    LocalDate date = LocalDate.of(num(s, 0, 4), num(s, 5, 7), num(s, 8, 10));
    int hour = num(s, 11, 13);
    if (s.charAt(13) != ':') {
      throw new DateTimeException("expected ':' after the hour");
    }
    int minute = num(s, 14, 16);
    int second = 0;
    int nanos = 0;
    int i = 16;
    if (i < s.length() && s.charAt(i) == ':') {
      second = num(s, 17, 19);
      i = 19;
      if (i < s.length() && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
        int start = ++i;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
          i++;
        }
        if (i == start) {
          throw new DateTimeException("no digits after the decimal point");
        }
        String fraction = (s.substring(start, Math.min(i, start + 9)) + "000000000").substring(0, 9);
        nanos = Integer.parseInt(fraction);
      }
    }
    if (i == s.length()) {
      throw new DateTimeException("no zone: add Z or an offset such as +01:00");
    }
    ZoneOffset offset = offset(s, i);
    return OffsetDateTime.of(date, LocalTime.of(hour, minute, second, nanos), offset);
  }

  private static ZoneOffset offset(String s, int i) {
    char c = s.charAt(i);
    if ((c == 'Z' || c == 'z') && i + 1 == s.length()) {
      return ZoneOffset.UTC;
    }
    if (c != '+' && c != '-') {
      throw new DateTimeException("unexpected '" + s.substring(i) + "' where the zone should be");
    }
    String rest = s.substring(i + 1);
    int hours;
    int minutes = 0;
    if (rest.length() == 2) {
      hours = num(rest, 0, 2);
    } else if (rest.length() == 4) {
      hours = num(rest, 0, 2);
      minutes = num(rest, 2, 4);
    } else if (rest.length() == 5 && rest.charAt(2) == ':') {
      hours = num(rest, 0, 2);
      minutes = num(rest, 3, 5);
    } else {
      throw new DateTimeException("zone offset '" + s.substring(i) + "' is not ±hh:mm, ±hhmm or ±hh");
    }
    int sign = c == '-' ? -1 : 1;
    return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
  }

  private static int num(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new DateTimeException("expected a digit at position " + (i + 1) + ", found '" + c + "'");
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  /** Writes a datetime with its zone, to the second: {@code 2024-05-01T10:00:00Z}. */
  public static String format(OffsetDateTime value) {
    Objects.requireNonNull(value, "value == null");
    return OUTPUT.format(value);
  }
}
