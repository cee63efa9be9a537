package org.civicsync.core.spi;

import java.util.Locale;

/** The operations of the SPI, so an error can say which one failed and the engine can count them. */
public enum CrmOperation {
  CREATE_CASE,
  FIND_CASE,
  LIST_CHANGES,
  APPLY_UPDATE,
  DESCRIBE_SERVICES;

  /** Words for messages: {@code create case}. */
  public String words() {
    return name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
