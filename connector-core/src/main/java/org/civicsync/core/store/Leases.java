package org.civicsync.core.store;

import java.time.Duration;
import java.time.Instant;

/**
 * The {@code sync_lease} table: one active poller per source across nodes. A lease that is not
 * renewed expires, so a dead node's source is taken over.
 */
public interface Leases {

  /**
   * Takes or renews the lease until {@code now + ttl}: true if it was free, expired, or already
   * {@code owner}'s. False while another owner holds an unexpired lease.
   */
  boolean tryAcquire(String source, String owner, Instant now, Duration ttl);

  /** Gives the lease up. False if {@code owner} did not hold it. */
  boolean release(String source, String owner);
}
