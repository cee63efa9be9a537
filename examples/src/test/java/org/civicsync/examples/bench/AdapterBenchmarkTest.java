package org.civicsync.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

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

    assertThat(result.problems()).isEmpty();
    assertThat(result.listedOnce()).isEqualTo(CASES);
    assertThat(result.changesListed()).isEqualTo(CASES);
    assertThat(result.pages()).isEqualTo(3);
    assertThat(result.listingCallsPerCase()).isLessThanOrEqualTo(AdapterBenchmark.LISTING_TARGET);
    // Counted at the system: at least one call per page (plus a token fetch for Salesforce).
    assertThat(result.listingCalls()).isBetween(3L, 4L);
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
    // The token, then a page of 400 in two batches of 200, then the last 50 in one.
    assertThat(result.listingCalls()).isEqualTo(1 + 2 + 1);
  }

  @Test
  void aListingAboveTheTargetIsReportedAsAProblem() {
    AdapterBenchmark.Result oneCallAndABitPerCase = new AdapterBenchmark.Result("slow", "HTTP requests",
        CASES, 1, CASES, CASES, CASES, 1_000_000, 400, 1_000_000, CASES, 0, CASES);

    assertThat(oneCallAndABitPerCase.problems())
        .containsExactly("listing took 1.333 HTTP requests per case, above the target 1.2");
  }
}
