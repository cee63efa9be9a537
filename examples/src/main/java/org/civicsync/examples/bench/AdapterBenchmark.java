package org.civicsync.examples.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.civicsync.core.spi.AppliedUpdate;
import org.civicsync.core.spi.CaseUpdate;
import org.civicsync.core.spi.CaseUpdates;
import org.civicsync.core.spi.ChangeCursor;
import org.civicsync.core.spi.ChangeFeed;
import org.civicsync.core.spi.ChangePage;
import org.civicsync.core.spi.CrmChange;

/**
 * Per adapter: seeds N cases in a fast loopback stand-in of its system, lists every change from
 * the feed's beginning to its end page by page, then applies one note per case through
 * {@code CaseUpdates}; prints cases per second and the calls the system received per case, for
 * listing and apply separately. Calls are counted at the system (HTTP requests at the stub's
 * server, SQL statements on the database connections), so they are what a CRM's API quota sees.
 * The target: listing takes at most 1.2 calls per case (paging, not a call per case).
 *
 * <p>A harness, not a test (see {@code AdapterBenchmarkTest} for the counts at 300 cases): on the
 * shared two-core machine times vary by ±35 % between runs; call counts do not vary.
 *
 * <pre>
 * java -cp examples/target/civicsync.jar org.civicsync.examples.bench.AdapterBenchmark \
 *     [adapters, comma-separated: servicenow,salesforce,jdbc,memory,dynamics,rest,open311] [cases: 10000] [page size: 500]
 * </pre>
 *
 * The page size defaults to the engine's ({@code SyncSettings.ofDefaults}); an adapter may answer
 * fewer per page when its API's limit is lower. Before measuring, one unmeasured listing of all
 * cases and {@value #WARM_UP_APPLIES} unmeasured applies (with other update ids) warm the JIT,
 * the HTTP client and the stub. Exits 1 when an adapter misses the target or a check fails.
 */
public final class AdapterBenchmark {
  /** Listing must take at most this many calls per case. */
  public static final double LISTING_TARGET = 1.2;
  static final int WARM_UP_APPLIES = 1_000;

  /** The adapters measured, by name; a new adapter adds its {@link BenchTarget} here. */
  static final Map<String, Supplier<BenchTarget>> TARGETS = targets();

  private AdapterBenchmark() {}

  private static Map<String, Supplier<BenchTarget>> targets() {
    Map<String, Supplier<BenchTarget>> targets = new LinkedHashMap<>();
    targets.put("servicenow", ServiceNowBench::new);
    targets.put("salesforce", SalesforceBench::new);
    targets.put("jdbc", JdbcBench::new);
    targets.put("memory", MemoryBench::new);
    targets.put("dynamics", DynamicsBench::new);
    targets.put("rest", RestBench::new);
    targets.put("open311", Open311Bench::new);
    return targets;
  }

  public static void main(String[] args) throws Exception {
    List<String> names = args.length > 0 && !args[0].isBlank()
        ? List.of(args[0].split(",")) : List.copyOf(TARGETS.keySet());
    int cases = args.length > 1 ? number(args[1], "cases") : 10_000;
    int pageSize = args.length > 2 ? number(args[2], "page size") : 500;
    for (String name : names) {
      if (!TARGETS.containsKey(name)) {
        System.err.println("unknown adapter '" + name + "': expected some of " + TARGETS.keySet());
        System.exit(2);
      }
    }
    System.out.printf(Locale.ROOT, "%,d cases per adapter, page size %d, Java %s, %d cores, "
        + "load average %.2f%n", cases, pageSize, System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(), loadAverage());
    boolean allMet = true;
    for (String name : names) {
      try (BenchTarget target = TARGETS.get(name).get()) {
        Result result = run(target, cases, pageSize, true);
        System.out.print(result.report());
        allMet &= result.problems().isEmpty();
      }
    }
    System.out.printf(Locale.ROOT, "load average at the end %.2f%n", loadAverage());
    System.exit(allMet ? 0 : 1);
  }

  /**
   * Seeds {@code cases} cases in {@code target}, lists them all with pages of {@code pageSize},
   * then applies {@link BenchTarget#update} to each, timing and counting both.
   */
  public static Result run(BenchTarget target, int cases, int pageSize, boolean warmUp)
      throws Exception {
    Objects.requireNonNull(target, "target == null");
    List<String> ids = target.seed(cases);
    ChangeFeed feed = target.adapter().capability(ChangeFeed.class).orElseThrow(
        () -> new IllegalArgumentException(target.name() + " has no change feed"));
    CaseUpdates updates = target.adapter().capability(CaseUpdates.class).orElseThrow(
        () -> new IllegalArgumentException(target.name() + " takes no updates"));
    if (warmUp) {
      listAll(feed, pageSize, cases);
    }
    long callsBefore = target.calls();
    long started = System.nanoTime();
    Listing listing = listAll(feed, pageSize, cases);
    long listingNanos = System.nanoTime() - started;
    long listingCalls = target.calls() - callsBefore;

    if (warmUp) {
      for (int i = 0; i < Math.min(WARM_UP_APPLIES, ids.size()); i++) {
        updates.apply(CaseUpdate.note(ids.get(i), "warm-up-" + i, "Warm-up note."));
      }
    }
    callsBefore = target.calls();
    started = System.nanoTime();
    int alreadyApplied = 0;
    for (int i = 0; i < ids.size(); i++) {
      AppliedUpdate applied = updates.apply(target.update(ids.get(i), i));
      alreadyApplied += applied.alreadyApplied() ? 1 : 0;
    }
    long applyNanos = System.nanoTime() - started;
    long applyCalls = target.calls() - callsBefore;

    Map<String, Integer> times = listing.timesListed();
    int listedOnce = (int) ids.stream().filter(id -> times.getOrDefault(id, 0) == 1).count();
    return new Result(target.name(), target.callUnit(), cases, pageSize, listing.pages(),
        listing.changes(), listedOnce, listingNanos, listingCalls, applyNanos, applyCalls,
        alreadyApplied, target.updatesLanded());
  }

  private record Listing(int pages, int changes, Map<String, Integer> timesListed) {}

  private static Listing listAll(ChangeFeed feed, int pageSize, int cases) {
    Map<String, Integer> times = new HashMap<>();
    ChangeCursor cursor = feed.beginning();
    int pages = 0;
    int changes = 0;
    ChangePage page;
    do {
      page = feed.changesSince(cursor, pageSize);
      pages++;
      for (CrmChange change : page.changes()) {
        times.merge(change.caseId(), 1, Integer::sum);
      }
      changes += page.changes().size();
      cursor = page.next();
      if (pages > cases + 10) {
        throw new IllegalStateException("the feed did not end after " + pages + " pages");
      }
    } while (page.more());
    return new Listing(pages, changes, times);
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static int number(String arg, String what) {
    try {
      int value = Integer.parseInt(arg.replace("_", "").replace(",", ""));
      if (value < 1) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      System.err.println(what + " must be a positive whole number, not '" + arg + "'");
      System.exit(2);
      return 0;
    }
  }

  /**
   * One adapter's figures.
   *
   * @param listedOnce seeded cases the listing named exactly once
   * @param alreadyApplied applies the adapter answered as done before: none expected
   * @param landed benchmark updates the system holds afterwards, read from the system itself
   */
  public record Result(String adapter, String callUnit, int cases, int pageSize, int pages,
      int changesListed, int listedOnce, long listingNanos, long listingCalls, long applyNanos,
      long applyCalls, int alreadyApplied, long landed) {

    public double listingCallsPerCase() {
      return (double) listingCalls / cases;
    }

    public double applyCallsPerCase() {
      return (double) applyCalls / cases;
    }

    public double listingCasesPerSecond() {
      return cases / (listingNanos / 1e9);
    }

    public double applyCasesPerSecond() {
      return cases / (applyNanos / 1e9);
    }

    /** What is wrong with this run; empty when every check passed and the target was met. */
    public List<String> problems() {
      List<String> problems = new ArrayList<>();
      if (listingCallsPerCase() > LISTING_TARGET) {
        problems.add(String.format(Locale.ROOT, "listing took %.3f %s per case, above the target %.1f",
            listingCallsPerCase(), callUnit, LISTING_TARGET));
      }
      if (listedOnce != cases || changesListed != cases) {
        problems.add("listing named " + listedOnce + " of " + cases + " cases exactly once, in "
            + changesListed + " changes");
      }
      if (alreadyApplied != 0 || landed != cases) {
        problems.add(landed + " of " + cases + " updates landed; " + alreadyApplied
            + " answered as applied before");
      }
      return problems;
    }

    String report() {
      StringBuilder b = new StringBuilder();
      b.append(String.format(Locale.ROOT, "%-11s listing %,7d cases in %,5d pages %7.2f s %,9.0f cases/s"
              + "  %,7d %s = %.4f per case (target <= %.1f: %s)%n",
          adapter, changesListed, pages, listingNanos / 1e9, listingCasesPerSecond(), listingCalls,
          callUnit, listingCallsPerCase(), LISTING_TARGET,
          listingCallsPerCase() <= LISTING_TARGET ? "met" : "NOT met"));
      b.append(String.format(Locale.ROOT, "%-11s apply   %,7d notes %19.2f s %,9.0f cases/s"
              + "  %,7d %s = %.2f per case; %,d landed%n",
          "", cases, applyNanos / 1e9, applyCasesPerSecond(), applyCalls, callUnit,
          applyCallsPerCase(), landed));
      problems().forEach(p -> b.append(String.format("%-11s PROBLEM: %s%n", "", p)));
      return b.toString();
    }
  }
}
