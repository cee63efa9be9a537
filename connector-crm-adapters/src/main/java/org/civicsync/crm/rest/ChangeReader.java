package org.civicsync.crm.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import org.civicsync.core.spi.ChangeCursor;
import org.civicsync.core.spi.ChangePage;
import org.civicsync.core.spi.CrmCase;
import org.civicsync.core.spi.CrmChange;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.crm.feed.ChangePages;
import org.civicsync.crm.feed.KeysetPosition;

/**
 * Lists changes for the engine's keyset cursor from an API that only knows "modified since".
 *
 * <p>The CRM is asked for every case modified since the cursor's time (less an overlap, as many
 * APIs mean "strictly after" or round the time), oldest first; ties may come in any order. The
 * adapter drops what is not after the cursor's (modified, id) place, and sorts by (modified, id)
 * itself. It reads on through the CRM's pages, in whatever paging style is configured, until
 * the page it answers is certain: since the CRM answers in modified order, a case not yet read
 * has a modified time at least that of the last one read, so the first {@code size} cases are
 * final once the last of them is strictly older than that. Reading stops earlier only at
 * {@code paging.max_pages}; then only the cases strictly older than the last one read are
 * answered, never a page that could be missing a tie.
 */
final class ChangeReader {
  /** Cursors as {@code rest1:<ISO instant>|<id>}; stored by the engine, so kept as they are. */
  static final KeysetPosition.Format CURSOR = KeysetPosition.Format.isoInstant("rest1:");
  /**
   * Asked for beyond the page, at least: one case to know there is more, one to see that the
   * page's last time is complete, and room for the cases re-read from the overlap window, so
   * that one request usually answers a page. A page of 40 or more asks a quarter more instead
   * (see {@link #asked}).
   */
  static final int HEADROOM = 10;
  private static final Comparator<CrmCase> KEYSET =
      Comparator.comparing(CrmCase::modified).thenComparing(CrmCase::caseId);

  private final String system;
  private final RestSettings settings;
  private final RestApi api;

  ChangeReader(String system, RestSettings settings, RestApi api) {
    this.system = system;
    this.settings = settings;
    this.api = api;
  }

  ChangePage read(ChangeCursor cursor, int limit) {
    int size = ChangePages.size(limit, pageCap(settings.maxPageSize()));
    KeysetPosition after =
        CURSOR.parse(cursor).orElseThrow(() -> ChangePages.foreignCursor(system, cursor));
    int asked = asked(size, settings.maxPageSize());
    Endpoint changes = settings.operations().changes();
    boolean sized = changes.urlPlaceholders().contains("page_size");
    HttpUrl first = changes.url(settings.baseUrl(), Map.of(
        "since", settings.shape().modifiedTime().format(
            after.modified().minus(settings.sinceOverlap())),
        "page_size", Integer.toString(asked)));
    List<CrmCase> found = new ArrayList<>();
    Instant newest = Instant.MIN;
    HttpUrl url = first;
    int offset = 0;
    boolean complete = false;
    for (int pages = 1; ; pages++) {
      RestApi.Answer answer = api.call(changes.method(), url, Optional.empty(), Map.of(), Set.of(),
          CrmOperation.LIST_CHANGES, b -> b);
      List<JsonNode> items = read(() -> settings.shape().cases(answer.body()));
      for (JsonNode item : items) {
        CrmCase c = read(() -> settings.shape().read(item));
        newest = c.modified().isAfter(newest) ? c.modified() : newest;
        if (isAfter(c, after)) {
          found.add(c);
        }
      }
      offset += items.size();
      Optional<HttpUrl> next = items.isEmpty() ? Optional.empty()
          : next(answer, url, first, offset, sized && items.size() < asked);
      if (next.isEmpty()) {
        // With no paging and a {page_size}, a full answer may have been cut short.
        complete = !(settings.paging().style().equals("none") && sized
            && items.size() >= asked);
        break;
      }
      found.sort(KEYSET);
      if (found.size() >= size && found.get(size - 1).modified().isBefore(newest)
          || pages >= settings.paging().maxPages()) {
        break;
      }
      url = next.get();
    }
    found.sort(KEYSET);
    List<CrmCase> page;
    boolean more;
    if (complete) {
      page = found.subList(0, Math.min(size, found.size()));
      more = found.size() > size;
    } else {
      Instant last = newest;
      List<CrmCase> certain = found.stream().filter(c -> c.modified().isBefore(last)).toList();
      if (certain.isEmpty()) {
        throw CrmException.of(CrmException.Kind.PERMANENT, system, CrmOperation.LIST_CHANGES)
            .detail("more cases share modified time " + last + " than " + asked
                + " per answer and paging.max_pages " + settings.paging().maxPages()
                + " pages reach: configure paging or raise max_pages")
            .build();
      }
      page = certain.subList(0, Math.min(size, certain.size()));
      more = true;
    }
    List<CrmChange> out = new ArrayList<>();
    page.forEach(c -> out.add(new CrmChange(c.modified(), c, Optional.empty(), Optional.empty())));
    ChangeCursor nextCursor = page.isEmpty() ? cursor : CURSOR.toCursor(
        new KeysetPosition(page.get(page.size() - 1).modified(),
            page.get(page.size() - 1).caseId()));
    return new ChangePage(out, nextCursor, more);
  }

  /**
   * The most changes one page answers for a CRM that answers at most {@code maxPageSize} cases
   * at a time: what leaves room for the headroom in one answer. A page of {@code max_page_size}
   * would leave none, so that every page read a next link for the cases the overlap re-reads:
   * two requests a page, when a page a little smaller takes one. A CRM whose largest answer is
   * too small for that keeps at least half of it for the page.
   */
  static int pageCap(int maxPageSize) {
    int page = maxPageSize - maxPageSize / 5;
    while (page > (maxPageSize + 1) / 2 && page + headroom(page) > maxPageSize) {
      page--;
    }
    return page;
  }

  /**
   * The {@code {page_size}} asked for a page of {@code size}: the page and its headroom, never
   * above the CRM's cap. The headroom grows with the page, a quarter of it: a full page means a
   * backlog, where the overlap window before the cursor holds as many changes as the CRM made in
   * that time, and a fixed few would send every page of a busy backlog to a next link.
   */
  static int asked(int size, int maxPageSize) {
    return Math.min(size + headroom(size), maxPageSize);
  }

  private static int headroom(int size) {
    return Math.max(HEADROOM, size / 4);
  }

  private static boolean isAfter(CrmCase c, KeysetPosition after) {
    int byTime = c.modified().compareTo(after.modified());
    return byTime > 0 || byTime == 0 && c.caseId().compareTo(after.id()) > 0;
  }

  /** The URL of the CRM's next page, or empty at the end. */
  private Optional<HttpUrl> next(RestApi.Answer answer, HttpUrl url, HttpUrl first, int offset,
      boolean shortPage) {
    Paging paging = settings.paging();
    Optional<HttpUrl> next = switch (paging.style()) {
      case "next_link" -> CaseShape.text(answer.body(), paging.pointer().orElseThrow())
          .map(url::resolve);
      case "link_header" -> LinkHeader.next(answer.headers().values("Link")).map(url::resolve);
      case "cursor" -> CaseShape.text(answer.body(), paging.pointer().orElseThrow())
          .map(token -> first.newBuilder().setQueryParameter(paging.param().orElseThrow(), token)
              .build());
      case "offset" -> shortPage ? Optional.empty() : Optional.of(first.newBuilder()
          .setQueryParameter(paging.param().orElseThrow(), Integer.toString(offset)).build());
      default -> Optional.empty();
    };
    next.filter(n -> !sameOrigin(n, settings.baseUrl())).ifPresent(n -> {
      // Credentials go with every request: never to a host the configuration did not name.
      throw CrmException.of(CrmException.Kind.PERMANENT, system, CrmOperation.LIST_CHANGES)
          .detail("the next page is on another origin (" + n.scheme() + "://" + n.host() + ":"
              + n.port() + ") than base_url")
          .build();
    });
    return next.filter(n -> !n.equals(url));
  }

  private static boolean sameOrigin(HttpUrl a, HttpUrl b) {
    return a.scheme().equals(b.scheme()) && a.host().equals(b.host()) && a.port() == b.port();
  }

  private <T> T read(java.util.function.Supplier<T> reading) {
    try {
      return reading.get();
    } catch (IllegalArgumentException e) {
      throw CrmException.of(CrmException.Kind.PERMANENT, system, CrmOperation.LIST_CHANGES)
          .detail("unexpected answer to " + settings.operations().changes() + ": "
              + e.getMessage())
          .build();
    }
  }
}
