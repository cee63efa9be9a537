package org.civicsync.open311;

/**
 * A document could not be read as what it should be: it is not XML or JSON, or a field holds a
 * value of the wrong kind. The message says which call, which field and quotes what was found.
 */
public final class Open311FormatException extends Open311Exception {
  public Open311FormatException(String message) {
    super(message);
  }

  public Open311FormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
