package org.civicsync.core.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Masks e-mail addresses and phone numbers in text that came from another system, before it is
 * logged or stored. A CRM's or endpoint's error message may echo the values it refused (a
 * citizen's e-mail, phone), and such text ends up in logs, in the outbox's {@code last_error}
 * and in what {@code civicsync dead-letters list} prints. Names cannot be told from other words,
 * so they are not masked; the connector's own messages never quote a report's fields.
 *
 * <p>Phone numbers are digit runs in UK and international forms: {@code +44 7700 900123},
 * {@code +44 (0)117 496 0000}, {@code 0044 7700 900123}, {@code 07700 900123},
 * {@code (0117) 496 0000}, {@code 07700+900123} (form-encoded). Ids and times are left as they
 * are: a run glued to a letter, a digit, a hyphen, a dot or a slash is part of something else
 * ({@code CASE-000001}, {@code INC0010001}, UUIDs, ISO timestamps); a national number starts
 * with {@code 0} and has 10 or 11 digits; an international one starts with {@code +} or
 * {@code 00} and has 8 to 15 (E.164).
 */
public final class Redaction {
  /** What an e-mail address is replaced with. */
  public static final String EMAIL = "<email>";
  /** What a phone number is replaced with. */
  public static final String PHONE = "<phone>";

  /** Also percent-encoded ({@code %40}), as in a query string quoted by an error. */
  private static final Pattern EMAIL_ADDRESS = Pattern.compile(
      "[A-Za-z0-9._%+\\-]+(?:@|%40)[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}",
      Pattern.CASE_INSENSITIVE);
  /** Not inside a word, an id, a time or a path; see the class comment. */
  private static final String START = "(?<![\\w\\-./+])";
  private static final String END = "(?![\\w\\-]|[.:/]\\d)";
  private static final Pattern INTERNATIONAL = Pattern.compile(START
      + "(?:\\+|00)[ ]?\\d(?:(?:[ \\-.]|[ ]?\\(0\\)[ ]?|[ ]?\\(|\\)[ ]?)?\\d){7,14}" + END);
  private static final Pattern NATIONAL =
      Pattern.compile(START + "\\(?0(?:(?:[ \\-+]|\\)[ ]?)?\\d){9,10}" + END);

  private Redaction() {}

  /** {@code text} with every e-mail address and phone number in it masked. */
  public static String redact(String text) {
    Objects.requireNonNull(text, "text == null");
    String out = EMAIL_ADDRESS.matcher(text).replaceAll(EMAIL);
    out = INTERNATIONAL.matcher(out).replaceAll(PHONE);
    return NATIONAL.matcher(out).replaceAll(PHONE);
  }

  /**
   * The text of {@code error} for a log line or a stored error: its message (or its class when
   * it has none) masked by {@link #redact}, cut at {@code max} characters.
   */
  public static String describe(Throwable error, int max) {
    Objects.requireNonNull(error, "error == null");
    String message = error.getMessage() == null ? error.getClass().getSimpleName()
        : redact(error.getMessage());
    return message.length() > max ? message.substring(0, max) + "…" : message;
  }

  /** Like {@link Throwable#toString()} (class and message), masked by {@link #redact}. */
  public static String toString(Throwable error) {
    Objects.requireNonNull(error, "error == null");
    return redact(error.toString());
  }
}
