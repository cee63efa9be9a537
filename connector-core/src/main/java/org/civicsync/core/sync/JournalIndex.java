package org.civicsync.core.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.store.Journal;
import org.civicsync.core.store.JournalEntry;
import org.civicsync.core.store.Side;

/**
 * The journal's OPEN311 side of the served jurisdictions, held in memory so that a window of
 * {@code GET servicerequestupdates} is answered without SQL: the store's window query was half of
 * a feed request (an index scan and a row lookup per entry, from file once the journal outgrows
 * H2's page cache). Entries never change once committed, so the index only ever adds.
 *
 * <p><b>Following the journal: the gap rule.</b> Entries are read in seq order with
 * {@link Journal#bySeq}, all jurisdictions and sides, because seq is one sequence for the whole
 * table. Seq is not commit order: a transaction holding seq 10 can commit after one holding 11,
 * and a seq taken by a rolled back insert, by an append that found its update id already there,
 * or lost from H2's identity cache in a restart never appears. So the index keeps the highest seq
 * it has read and every gap below it, with the time the gap was first seen; each refresh reads
 * the open gaps again (one query for gaps close together, reading the rows between them), and
 * a row found in a gap fills it. A gap is given up once it has been open for
 * {@link #GAP_GRACE} at the start of a refresh: the seq was taken before the row above it was
 * read, so its transaction has committed or rolled back by then, as long as no transaction
 * writing the journal runs longer than that. An entry committed later than that is
 * never served from memory (the store's window query still has it). A gap that never fills costs
 * a query (or the rows up to the next gap) on every refresh for {@link #GAP_GRACE}; of the gaps
 * the first refresh after a start finds, only those within {@link #START_GAP_WINDOW} of the top
 * are kept open.
 *
 * <p><b>Freshness.</b> A read is served from a state whose refresh began after every change this
 * process reported through {@link #changed()} (serve mode reports its journal writes once they
 * commit) and at most {@link #MAX_AGE} before the read began. One refresh runs at a time: a read
 * that finds the state older than that takes the refresh lock if it is free and refreshes; if
 * another thread is refreshing, it serves the current state when that covers every reported
 * change and is at most {@link #STALE_LIMIT} old, and otherwise waits for the lock and refreshes
 * unless the refresh it waited for was recent enough. So an entry this process committed before
 * a read is always in its answer, and one committed by another process sharing the store is in
 * the answer of every read that begins {@link #MAX_AGE} after the commit, or {@link #STALE_LIMIT}
 * after it while a refresh is under way.
 *
 * <p><b>Memory.</b> At most {@code capacity} entries are kept; beyond that the oldest by updated
 * time are dropped, and a window starting at or before the newest dropped one is not answered
 * here ({@link #window} is empty) so that the caller asks the store, and every answer is complete.
 * Each entry keeps its payload until first served, then only the update as served.
 */
final class JournalIndex {
  /** Entries kept in memory by default, across all jurisdictions. */
  static final int CAPACITY = 250_000;
  /**
   * How long a gap in the seqs read is waited for before it is taken to be permanent: longer than
   * any transaction that writes the journal is expected to take; an entry committed later than
   * this after the entries above it is missed from memory. A CRM change page is the long one: it
   * asks the CRM for the particulars of each case it adopts ({@code CaseDetails}) inside its
   * transaction, and one such call may wait 30 s for the rate limiter, then 10 s to connect and
   * 30 s to read. Ten minutes covers several of those; an open gap costs a re-read per refresh.
   */
  static final long GAP_GRACE = TimeUnit.MINUTES.toNanos(10);
  /**
   * Gaps the first refresh finds more than this many seqs below the top are taken as permanent at
   * once: they are the journal's history (seqs of re-read changes that were already there, of
   * rolled-back pages, of H2's identity cache at each restart), and re-reading them all for
   * {@link #GAP_GRACE} after every start would cost more than it could find. Transactions still
   * open at start hold seqs near the top.
   */
  static final long START_GAP_WINDOW = 10_000;
  /** Age of the state that makes a read refresh first: another process's entries show by then. */
  static final long MAX_AGE = TimeUnit.MILLISECONDS.toNanos(200);
  /** Age up to which a read may use the current state while another thread refreshes it. */
  static final long STALE_LIMIT = TimeUnit.SECONDS.toNanos(1);
  /** Entries read per query while following the journal. */
  private static final int PAGE = 5_000;
  /** Open gaps fewer than this many seqs apart are read again with one query. */
  static final int GAP_JOIN = 1_000;

  /** What an entry is served as: serve mode's reading of its payload. */
  @FunctionalInterface
  interface Serving {
    ReportUpdate update(long linkId, String payload);
  }

  private final Journal journal;
  private final LongSupplier nanos;
  private final Serving serving;
  private final int capacity;
  private final Map<String, Shelf> shelves = new HashMap<>();
  /** Changes reported by {@link #changed()}; a refresh covers those counted before it began. */
  private final AtomicLong changes = new AtomicLong();
  private final ReentrantLock refreshing = new ReentrantLock();
  /** Covering no change: the first read refreshes. */
  private volatile Refreshed refreshed = new Refreshed(0, -1);

  // Only touched while holding the refresh lock.
  /** Highest seq read. */
  private long high;
  /** Seqs below {@link #high} not read yet, keyed by the first of a run. */
  private final TreeMap<Long, Gap> gaps = new TreeMap<>();
  private int size;

  /**
   * @param nanos a monotonic clock in nanoseconds ({@link System#nanoTime} but in tests)
   * @param serving how an entry's payload becomes the update served, called once per entry
   */
  JournalIndex(Journal journal, Set<String> jurisdictions, LongSupplier nanos, Serving serving,
      int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.journal = journal;
    this.nanos = nanos;
    this.serving = serving;
    this.capacity = capacity;
    for (String j : jurisdictions) {
      shelves.put(j, new Shelf());
    }
  }

  /** Reports that this process committed journal entries: the next read refreshes first. */
  void changed() {
    changes.incrementAndGet();
  }

  /**
   * Brings memory up to date now if a read would, so that the background work pays for it (the
   * whole journal after a start) rather than the next FixMyStreet request.
   */
  void catchUp() {
    refreshIfStale();
  }

  /**
   * The updates of {@code jurisdiction}'s entries with {@code start <= updated <= end}, the first
   * {@code limit} by (updated, seq), less those whose own updated time (else the entry's) is
   * outside the window: what serve mode answers from the store's window query. Empty when the
   * window starts at or before an entry dropped for room.
   */
  Optional<List<ReportUpdate>> window(String jurisdiction, Instant start, Instant end, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    Shelf shelf = shelves.get(jurisdiction);
    if (shelf == null) {
      throw new IllegalArgumentException("jurisdiction " + jurisdiction + " is not indexed");
    }
    refreshIfStale();
    // The store compares its column, kept to the microsecond, with bounds cut to the microsecond.
    Instant from = start.truncatedTo(ChronoUnit.MICROS);
    Instant to = end.truncatedTo(ChronoUnit.MICROS);
    if (!shelf.covers(from)) {
      return Optional.empty();
    }
    if (start.isAfter(end)) {
      return Optional.of(List.of());
    }
    List<ReportUpdate> updates = new ArrayList<>(Math.min(limit, 64));
    int taken = 0;
    for (Entry e : shelf.entries.subSet(Entry.probe(from, Long.MIN_VALUE), true,
        Entry.probe(to, Long.MAX_VALUE), true)) {
      Served s = e.served(serving);
      if (!s.at().isBefore(start) && !s.at().isAfter(end)) {
        updates.add(s.update());
      }
      if (++taken == limit) {
        break;
      }
    }
    // Checked again after reading: the floor is raised before an entry is dropped, so a read that
    // missed a dropped entry sees the new floor here.
    return shelf.covers(from) ? Optional.of(updates) : Optional.empty();
  }

  /** Open gaps, for tests. */
  int openGaps() {
    refreshing.lock();
    try {
      return gaps.size();
    } finally {
      refreshing.unlock();
    }
  }

  private void refreshIfStale() {
    long now = nanos.getAsLong();
    long wanted = changes.get();
    if (refreshed.fresh(now, wanted, MAX_AGE)) {
      return;
    }
    if (refreshing.tryLock()) {
      try {
        if (!refreshed.fresh(now, wanted, MAX_AGE)) {
          refresh();
        }
      } finally {
        refreshing.unlock();
      }
      return;
    }
    if (refreshed.fresh(now, wanted, STALE_LIMIT)) {
      return;
    }
    refreshing.lock();
    try {
      if (!refreshed.fresh(now, wanted, STALE_LIMIT)) {
        refresh();
      }
    } finally {
      refreshing.unlock();
    }
  }

  private void refresh() {
    long covered = changes.get();
    long began = nanos.getAsLong();
    // Gaps closer than GAP_JOIN share a read: the rows between them cost less than a query.
    List<long[]> spans = new ArrayList<>();
    for (Map.Entry<Long, Gap> run : gaps.entrySet()) {
      long[] last = spans.isEmpty() ? null : spans.get(spans.size() - 1);
      if (last != null && run.getKey() - last[1] <= GAP_JOIN) {
        last[1] = run.getValue().last();
      } else {
        spans.add(new long[] {run.getKey(), run.getValue().last()});
      }
    }
    for (long[] span : spans) {
      read(span[0] - 1, span[1]);
    }
    boolean first = refreshed.covered() < 0;
    read(high, Long.MAX_VALUE);
    gaps.values().removeIf(g -> began - g.seen() >= GAP_GRACE);
    if (first) {
      gaps.headMap(high - START_GAP_WINDOW).clear();
    }
    refreshed = new Refreshed(began, covered);
  }

  /** Takes the rows with {@code after < seq <= last}. */
  private void read(long after, long last) {
    long from = after;
    while (true) {
      List<JournalEntry> page = journal.bySeq(from, last, PAGE);
      long readAt = nanos.getAsLong();
      for (JournalEntry e : page) {
        take(e, readAt);
      }
      if (page.size() < PAGE) {
        return;
      }
      from = page.get(page.size() - 1).seq();
    }
  }

  /** Takes a row read at {@code readAt} unless it was read before. */
  private void take(JournalEntry e, long readAt) {
    long seq = e.seq();
    if (seq > high) {
      if (seq > high + 1) {
        gaps.put(high + 1, new Gap(seq - 1, readAt));
      }
      high = seq;
    } else if (!fill(seq)) {
      return;
    }
    Shelf shelf = shelves.get(e.jurisdiction());
    if (shelf == null || e.target() != Side.OPEN311 || !shelf.covers(e.updated())) {
      return;
    }
    shelf.entries.add(new Entry(seq, e.linkId(), e.updated(), e.payload()));
    if (++size > capacity) {
      dropOldest();
    }
  }

  /** @return whether {@code seq} was in a gap (which it now no longer is) */
  private boolean fill(long seq) {
    Map.Entry<Long, Gap> run = gaps.floorEntry(seq);
    if (run == null || run.getValue().last() < seq) {
      return false;
    }
    Gap gap = gaps.remove(run.getKey());
    if (run.getKey() < seq) {
      gaps.put(run.getKey(), new Gap(seq - 1, gap.seen()));
    }
    if (seq < gap.last()) {
      gaps.put(seq + 1, new Gap(gap.last(), gap.seen()));
    }
    return true;
  }

  /** Drops the entry with the oldest updated time of all jurisdictions. */
  private void dropOldest() {
    Shelf oldest = null;
    for (Shelf s : shelves.values()) {
      if (!s.entries.isEmpty() && (oldest == null
          || s.entries.first().updated.isBefore(oldest.entries.first().updated))) {
        oldest = s;
      }
    }
    Entry dropped = oldest.entries.first();
    oldest.floor = dropped.updated;
    oldest.entries.remove(dropped);
    size--;
  }

  /**
   * The state a refresh left: when it began and the changes it covers. A read beginning at
   * {@code now} that wants the changes counted up to {@code wanted} may use it if it is no older
   * than {@code maxAge}.
   */
  private record Refreshed(long began, long covered) {
    boolean fresh(long now, long wanted, long maxAge) {
      return covered >= wanted && now - began <= maxAge;
    }
  }

  /** Seqs up to {@code last} not read yet, first missing when a read at {@code seen} returned. */
  private record Gap(long last, long seen) {}

  /** An update as served and the time the window is checked against. */
  private record Served(ReportUpdate update, Instant at) {}

  /** One jurisdiction's entries, by (updated, seq). */
  private static final class Shelf {
    final NavigableSet<Entry> entries = new ConcurrentSkipListSet<>(Entry.ORDER);
    /** The updated time of the newest entry dropped for room; null while none was. */
    volatile Instant floor;

    boolean covers(Instant start) {
      Instant f = floor;
      return f == null || start.isAfter(f);
    }
  }

  /**
   * A journal entry in memory. Its update is made on first use and then kept, so the feed hands
   * out the same object for an entry every time (rendered items are cached by identity).
   */
  private static final class Entry {
    static final Comparator<Entry> ORDER =
        Comparator.<Entry, Instant>comparing(e -> e.updated).thenComparingLong(e -> e.seq);
    private static final VarHandle SERVED;

    static {
      try {
        SERVED = MethodHandles.lookup().findVarHandle(Entry.class, "served", Served.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final long seq;
    final long linkId;
    final Instant updated;
    /** Until first served; dropped once {@link #served} is set. */
    private volatile String payload;
    private volatile Served served;

    Entry(long seq, long linkId, Instant updated, String payload) {
      this.seq = seq;
      this.linkId = linkId;
      this.updated = updated;
      this.payload = payload;
    }

    static Entry probe(Instant updated, long seq) {
      return new Entry(seq, 0, updated, null);
    }

    /** The first update made for this entry, whoever made it. */
    Served served(Serving serving) {
      // Payload read first: it is cleared only after served is set, so null means set.
      String p = payload;
      Served s = served;
      if (s != null) {
        return s;
      }
      if (p == null) {
        return served;
      }
      ReportUpdate update = serving.update(linkId, p);
      Served mine = new Served(update,
          update.updated().map(OffsetDateTime::toInstant).orElse(updated));
      Served won = (Served) SERVED.compareAndExchange(this, null, mine);
      if (won != null) {
        return won;
      }
      payload = null;
      return mine;
    }
  }
}
