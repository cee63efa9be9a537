package org.civicsync.open311.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.open311.Format;

/**
 * {@code request_update} items as the updates feed writes them, kept per update and format.
 * FixMyStreet polls overlapping windows of a journal whose entries never change, so rendering
 * each item once and copying it afterwards takes the XML writer out of most feed requests. Keyed
 * by the update object itself: serve mode hands out the same object for a journal entry each time
 * (its journal index keeps one per entry), and a record's own hashCode walks every field, which
 * profiled at a third of this cache's cost. A new object for the same update is only a miss.
 * Bounded by emptying when full, above the journal index's default capacity (250,000): at
 * 100,000, with a journal about that large, it filled and emptied over and over, rendering
 * everything again.
 * (Guava's cache with weak keys and LRU eviction measured slower than rendering: 110 against
 * 61-79 µs a feed request.)
 */
final class RenderedUpdates {
  private static final int LIMIT = 300_000;

  private final Map<Same, String> xml = new ConcurrentHashMap<>();
  private final Map<Same, String> json = new ConcurrentHashMap<>();

  String item(Format format, ReportUpdate update) {
    Map<Same, String> cache = format == Format.XML ? xml : json;
    Same key = new Same(update);
    String item = cache.get(key);
    if (item == null) {
      item = Open311Documents.updateItem(format, update);
      if (cache.size() >= LIMIT) {
        cache.clear();
      }
      cache.put(key, item);
    }
    return item;
  }

  /** An update compared by identity. */
  private record Same(ReportUpdate update) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Same s && s.update == update;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(update);
    }
  }
}
