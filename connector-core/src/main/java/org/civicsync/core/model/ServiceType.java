package org.civicsync.core.model;

import java.util.Locale;

/** How an endpoint handles a service's requests: at once, queued (answers a token), or unseen. */
public enum ServiceType {
  REALTIME,
  BATCH,
  BLACKBOX;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads the word in any case; an unknown word is an error naming it. */
  public static ServiceType parse(String word) {
    try {
      return valueOf(word.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown service type '" + word + "': expected realtime, batch or blackbox");
    }
  }
}
