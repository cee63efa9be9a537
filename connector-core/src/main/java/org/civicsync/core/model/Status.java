package org.civicsync.core.model;

import java.util.Locale;
import java.util.Objects;

/**
 * The status vocabulary of Open311 with mySociety's extension, as FixMyStreet speaks it.
 *
 * <p>Peers without the extension only know {@link #OPEN} and {@link #CLOSED}; {@link #plain()} is
 * that projection. "Closed" is not "fixed": the two stay distinct values here, because FixMyStreet
 * shows a citizen the difference. {@link #UNCHANGED} is a note that carries no change of state.
 */
public enum Status {
  OPEN(false),
  CLOSED(true),
  FIXED(true),
  IN_PROGRESS(false),
  ACTION_SCHEDULED(false),
  INVESTIGATING(false),
  DUPLICATE(true),
  NOT_COUNCILS_RESPONSIBILITY(true),
  NO_FURTHER_ACTION(true),
  INTERNAL_REFERRAL(true),
  CANCELLED(true),
  REOPEN(false),
  /** FixMyStreet sends "for triage" as CLOSED/FOR_TRIAGE: the report has left the council's queue. */
  FOR_TRIAGE(true),
  /** A note: no change of state. */
  UNCHANGED(false);

  private final boolean closed;

  Status(boolean closed) {
    this.closed = closed;
  }

  /** True for every status a plain peer sees as {@code closed}. Never true for {@link #UNCHANGED}. */
  public boolean isClosed() {
    return closed;
  }

  /** True when this status says something about state, i.e. it is not {@link #UNCHANGED}. */
  public boolean changesState() {
    return this != UNCHANGED;
  }

  /**
   * The projection to a peer without extended statuses: {@link #OPEN} or {@link #CLOSED}.
   * {@link #UNCHANGED} has no state to project and stays {@link #UNCHANGED}; a caller sending to a
   * plain peer substitutes the report's current status.
   */
  public Status plain() {
    if (this == UNCHANGED) {
      return UNCHANGED;
    }
    return closed ? CLOSED : OPEN;
  }

  /** The word as feeds write it: lower case with underscores ({@code in_progress}). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads a status word tolerantly: any case, {@code _}, space or {@code -} between words, and
   * surrounding white space.
   *
   * @throws IllegalArgumentException naming the word and the accepted vocabulary
   */
  public static Status parse(String word) {
    Objects.requireNonNull(word, "word == null");
    String normalised = word.strip().toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
    // Feeds written by hand sometimes double the separator ("in  progress").
    normalised = normalised.replaceAll("_+", "_");
    switch (normalised) {
      case "REOPENED":
        return REOPEN;
      case "CANCELED":
        return CANCELLED;
      default:
        break;
    }
    for (Status status : values()) {
      if (status.name().equals(normalised)) {
        return status;
      }
    }
    throw new IllegalArgumentException(
        "unknown status '" + word + "': expected one of " + java.util.Arrays.toString(values())
            + " (any case, '_' or space between words)");
  }
}
