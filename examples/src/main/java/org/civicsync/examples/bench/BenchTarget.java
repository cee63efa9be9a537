package org.civicsync.examples.bench;

import java.util.List;
import org.civicsync.core.spi.CaseUpdate;
import org.civicsync.core.spi.CrmAdapter;

/**
 * One adapter with the system it talks to, as {@link AdapterBenchmark} measures it. Adding an
 * adapter to the benchmark is one class implementing this, plus one line in
 * {@link AdapterBenchmark#TARGETS}.
 *
 * <p>The system is a fast stand-in on loopback (a JDK {@code HttpServer} answering the vendor's
 * documented paths, queries, bodies and paging links, or an in-memory database): the figures are
 * the adapter's cost and its number of calls, not a real CRM's latency.
 */
public interface BenchTarget extends AutoCloseable {

  /** The adapter type, as in configuration: {@code servicenow}, {@code jdbc}, ... */
  String name();

  /** What {@link #calls()} counts: {@code HTTP requests}, {@code SQL statements}, ... */
  String callUnit();

  /**
   * Starts the system holding {@code cases} open cases, made on the system itself (as council
   * staff would), not through the adapter and not counted; answers their ids as the adapter's
   * feed names them. Called once, before {@link #adapter()}.
   */
  List<String> seed(int cases) throws Exception;

  /** The adapter over the seeded system; it must offer {@code ChangeFeed} and {@code CaseUpdates}. */
  CrmAdapter adapter();

  /**
   * Calls the system has received from the adapter so far, counted at the system (the stub's
   * server, the database connection), so retries, token fetches and further batches count too.
   */
  long calls();

  /**
   * How many of the benchmark's updates the system holds now, read from the system's own state
   * (the stub's tables, the database's rows), not through the adapter: proof that each apply
   * landed.
   */
  long updatesLanded();

  /** The update applied to case {@code caseId}, the {@code n}-th: a note by default. */
  default CaseUpdate update(String caseId, int n) {
    return CaseUpdate.note(caseId, "bench-" + n, "Inspected on site; repair booked for next week.");
  }

  /** Stops the system and closes the adapter. */
  @Override
  void close();
}
