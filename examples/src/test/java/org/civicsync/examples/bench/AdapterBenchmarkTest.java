package org.civicsync.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The adapter benchmark's counts at 300 cases: every adapter lists each case exactly once within
 * the calls target, and every update lands. No timings: they vary on a shared machine, counts
 * do not.
 */
class AdapterBenchmarkTest {
  private static final int CASES = 300;

  /**
   * The calls each adapter's listing of 300 cases in 3 pages of 100 takes, counted at the system:
   * exact, so that a change in how an adapter pages shows here.
   */
  private static final Map<String, Long> LISTING_CALLS = Map.of(
      // Per page: the incidents, then the customer-visible comments on them.
      "servicenow", 3L * 2,
      // The token, then per page: the Cases, then their published CaseComments.
      "salesforce", 1 + 3L * 2,
      "jdbc", 3L,
      "memory", 3L,
      // The token, then one request per page (odata.maxpagesize=101 holds the page's extra row).
      "dynamics", 1 + 3L,
      // The token, then one request per page: 125 asked (the page and a quarter) hold the 20
      // cases the 1-second overlap re-reads (ten a second), the 100 new and the one after.
      "rest", 1 + 3L,
      // Per page: the updates since the cursor, then the page's requests in batches of 50.
      "open311", 3 * (1 + 2L));

  static Stream<String> adapters() {
    return AdapterBenchmark.TARGETS.keySet().stream();
  }

  @ParameterizedTest
  @MethodSource("adapters")
  void listsEveryCaseOnceWithinTheCallsTargetAndLandsEveryUpdate(String adapter) throws Exception {
    AdapterBenchmark.Result result;
    try (BenchTarget target = AdapterBenchmark.TARGETS.get(adapter).get()) {
      result = AdapterBenchmark.run(target, CASES, 100, false);
    }

    System.out.print(result.report());
    assertThat(result.problems()).isEmpty();
    assertThat(result.listedOnce()).isEqualTo(CASES);
    assertThat(result.changesListed()).isEqualTo(CASES);
    assertThat(result.pages()).isEqualTo(3);
    assertThat(result.listingCallsPerCase()).isLessThanOrEqualTo(AdapterBenchmark.LISTING_TARGET);
    assertThat(result.listingCalls()).isEqualTo(LISTING_CALLS.get(adapter));
    assertThat(result.landed()).isEqualTo(CASES);
    assertThat(result.alreadyApplied()).isZero();
    assertThat(result.applyCalls()).isGreaterThanOrEqualTo(CASES);
  }

  @Test
  void salesforcePagesOfWholeQueryBatchesFollowNextRecordsUrlWithoutAnExtraBatch() throws Exception {
    AdapterBenchmark.Result result;
    try (BenchTarget target = new SalesforceBench(200)) {
      result = AdapterBenchmark.run(target, 450, 400, false);
    }

    assertThat(result.problems()).isEmpty();
    assertThat(result.pages()).isEqualTo(2);
    // The token, then a page of 400 in two batches of 200 and its published comments (two
    // queries: 250 case ids per query), then the last 50 in one batch and theirs.
    assertThat(result.listingCalls()).isEqualTo(1 + (2 + 2) + (1 + 1));
  }

  @Test
  void dynamicsPagesAsLargeAsItsPageSizeTakeOneRequestEach() throws Exception {
    AdapterBenchmark.Result result;
    try (BenchTarget target = new DynamicsBench()) {
      result = AdapterBenchmark.run(target, 1000, 500, false);
    }

    assertThat(result.problems()).isEmpty();
    assertThat(result.listedOnce()).isEqualTo(1000);
    assertThat(result.pages()).isEqualTo(2);
    // The token, then per page of 500 (page_size 500, its default): one request. A full page
    // with an @odata.nextLink says "more" without reading the next link for one row (that
    // made 1 + 2 + 1: the first page read its next link too).
    assertThat(result.listingCalls()).isEqualTo(1 + 2);
  }

  @Test
  void restPagesOfTheEnginesSizeAreCutBelowMaxPageSizeAndTakeOneRequestEach() throws Exception {
    AdapterBenchmark.Result result;
    try (BenchTarget target = new RestBench()) {
      result = AdapterBenchmark.run(target, 1000, 500, false);
    }

    assertThat(result.problems()).isEmpty();
    assertThat(result.listedOnce()).isEqualTo(1000);
    // max_page_size 200 answers pages of 160 with room for the overlap's re-read: 7 pages, one
    // request each and the token. Pages of 200 took two requests each: 5 pages, 1 + 10 calls.
    assertThat(result.pages()).isEqualTo(7);
    assertThat(result.listingCalls()).isEqualTo(1 + 7);
  }

  @Test
  void aListingAboveTheTargetIsReportedAsAProblem() {
    AdapterBenchmark.Result oneCallAndABitPerCase = new AdapterBenchmark.Result("slow", "HTTP requests",
        CASES, 1, CASES, CASES, CASES, 1_000_000, 400, 1_000_000, CASES, 0, CASES);

    assertThat(oneCallAndABitPerCase.problems())
        .containsExactly("listing took 1.333 HTTP requests per case, above the target 1.2");
  }
}
