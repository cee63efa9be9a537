package org.civicsync.core.store;

/** How many of a jurisdiction's links are still open and how many are complete on both sides. */
public record LinkCounts(long open, long complete) {

  public LinkCounts {
    if (open < 0 || complete < 0) {
      throw new IllegalArgumentException("counts must not be negative: " + open + ", " + complete);
    }
  }
}
