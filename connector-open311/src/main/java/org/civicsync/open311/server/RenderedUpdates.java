package org.civicsync.open311.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.open311.Format;

/**
 * {@code request_update} items as the updates feed writes them, kept per update and format.
 * FixMyStreet polls overlapping windows of a journal whose entries never change, so rendering
 * each item once and copying it afterwards takes the XML writer out of most feed requests. Keyed
 * by the update's value (an equal update renders the same), bounded by emptying when full.
 */
final class RenderedUpdates {
  private static final int LIMIT = 100_000;

  private final Map<ReportUpdate, String> xml = new ConcurrentHashMap<>();
  private final Map<ReportUpdate, String> json = new ConcurrentHashMap<>();

  String item(Format format, ReportUpdate update) {
    Map<ReportUpdate, String> cache = format == Format.XML ? xml : json;
    String item = cache.get(update);
    if (item == null) {
      item = Open311Documents.updateItem(format, update);
      if (cache.size() >= LIMIT) {
        cache.clear();
      }
      cache.put(update, item);
    }
    return item;
  }
}
