package org.civicsync.open311.client;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.W3cDateTime;
import org.civicsync.open311.Open311Exception;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one {@link RequestQuery} into as many {@code GET requests} calls as it takes to miss
 * nothing. An endpoint answers at most a page (1,000 by default) and says nothing of what it left
 * out, so a full page means "narrow the window and ask again". Windows are whole seconds, because
 * W3C dates on the wire are; the halves share their midpoint second and duplicates are dropped.
 */
final class RequestWindows {
  private static final Logger log = LoggerFactory.getLogger(RequestWindows.class);

  private final Function<Map<String, String>, List<Report>> call;
  private final int pageLimit;
  private final int maxIdsPerCall;
  private final Clock clock;

  RequestWindows(Function<Map<String, String>, List<Report>> call, int pageLimit,
      int maxIdsPerCall, Clock clock) {
    this.call = call;
    this.pageLimit = pageLimit;
    this.maxIdsPerCall = maxIdsPerCall;
    this.clock = clock;
  }

  List<Report> fetch(RequestQuery query) {
    Map<String, Report> found = new LinkedHashMap<>();
    if (!query.ids().isEmpty()) {
      for (int from = 0; from < query.ids().size(); from += maxIdsPerCall) {
        List<String> batch = query.ids().subList(from, Math.min(from + maxIdsPerCall, query.ids().size()));
        Map<String, String> args = new LinkedHashMap<>();
        args.put("service_request_id", String.join(",", batch));
        addAll(found, call.apply(args));
      }
      return List.copyOf(found.values());
    }
    if (query.start().isEmpty() && query.end().isEmpty()) {
      List<Report> page = call.apply(arguments(query, null, null));
      if (page.size() >= pageLimit) {
        log.warn("GET requests without a date window returned a full page of {}; give a start "
            + "date to read everything", page.size());
      }
      addAll(found, page);
      return List.copyOf(found.values());
    }
    Instant end = query.end().map(OffsetDateTime::toInstant).orElseGet(clock::instant);
    Instant start = query.start().map(OffsetDateTime::toInstant)
        .orElse(end.minus(Open311Client.MAX_WINDOW));
    long from = start.getEpochSecond();
    long to = ceilSeconds(end);
    long maxSpan = Open311Client.MAX_WINDOW.getSeconds();
    long windowStart = from;
    do {
      long windowEnd = Math.min(to, windowStart + maxSpan);
      fetchWindow(query, windowStart, windowEnd, found);
      windowStart = windowEnd;
    } while (windowStart < to);
    return List.copyOf(found.values());
  }

  private void fetchWindow(RequestQuery query, long start, long end, Map<String, Report> found) {
    List<Report> page = call.apply(arguments(query, start, end));
    if (page.size() < pageLimit) {
      addAll(found, page);
      return;
    }
    if (end - start <= 1) {
      throw new Open311Exception("GET requests: " + page.size() + " requests in the one-second "
          + "window " + format(start) + " .. " + format(end) + " fill a page of " + pageLimit
          + "; the window cannot be narrowed further, so some would be missed");
    }
    long middle = start + (end - start) / 2;
    fetchWindow(query, start, middle, found);
    fetchWindow(query, middle, end, found);
  }

  private Map<String, String> arguments(RequestQuery query, Long start, Long end) {
    Map<String, String> args = new LinkedHashMap<>();
    if (!query.serviceCodes().isEmpty()) {
      args.put("service_code", String.join(",", query.serviceCodes()));
    }
    query.status().ifPresent(s -> args.put("status", s));
    if (start != null) {
      args.put("start_date", format(start));
      args.put("end_date", format(end));
    }
    args.putAll(query.extra());
    return args;
  }

  private static void addAll(Map<String, Report> found, List<Report> page) {
    List<Report> withoutId = new ArrayList<>();
    for (Report r : page) {
      if (r.id().isPresent()) {
        found.putIfAbsent(r.id().get(), r);
      } else {
        withoutId.add(r);
      }
    }
    if (!withoutId.isEmpty()) {
      log.warn("GET requests: dropped {} requests without a service_request_id", withoutId.size());
    }
  }

  private static long ceilSeconds(Instant instant) {
    return instant.getNano() == 0 ? instant.getEpochSecond() : instant.getEpochSecond() + 1;
  }

  private static String format(long epochSecond) {
    return W3cDateTime.format(OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
  }
}
