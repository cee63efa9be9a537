package org.civicsync.open311;

import java.util.Locale;

/** The two wire formats of GeoReport v2, chosen by the path suffix. XML is the mandatory one. */
public enum Format {
  XML("xml", "text/xml; charset=utf-8"),
  JSON("json", "application/json; charset=utf-8");

  private final String suffix;
  private final String contentType;

  Format(String suffix, String contentType) {
    this.suffix = suffix;
    this.contentType = contentType;
  }

  /** The path suffix without the dot: {@code xml} or {@code json}. */
  public String suffix() {
    return suffix;
  }

  public String contentType() {
    return contentType;
  }

  /** Reads {@code xml} or {@code json} in any case. */
  public static Format parse(String word) {
    String w = word.strip().toLowerCase(Locale.ROOT);
    for (Format f : values()) {
      if (f.suffix.equals(w)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown format '" + word + "': expected xml or json");
  }
}
