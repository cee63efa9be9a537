package org.civicsync.core.model;

import java.util.Locale;

/** The datatype of a service attribute, as GeoReport v2 defines them. */
public enum Datatype {
  STRING,
  NUMBER,
  DATETIME,
  TEXT,
  SINGLEVALUELIST,
  MULTIVALUELIST;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isList() {
    return this == SINGLEVALUELIST || this == MULTIVALUELIST;
  }

  /** Reads the word in any case; an unknown word is an error naming it. */
  public static Datatype parse(String word) {
    try {
      return valueOf(word.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown attribute datatype '" + word
          + "': expected string, number, datetime, text, singlevaluelist or multivaluelist");
    }
  }
}
