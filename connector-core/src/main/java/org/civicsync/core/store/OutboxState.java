package org.civicsync.core.store;

/** Where a work item is in its life. */
public enum OutboxState {
  /** Waiting for its next attempt. */
  PENDING,
  /** Claimed by a node that is performing the remote call now. */
  IN_FLIGHT,
  /**
   * The remote call may or may not have happened (timeout after sending, or the owner died while
   * IN_FLIGHT). Claimable again, but the engine must settle it (e.g. find by external reference)
   * before calling again, never blindly repeat a non-idempotent call.
   */
  UNKNOWN,
  /** Finished. */
  DONE,
  /** Gave up after too many attempts; kept for listing and replay. */
  DEAD
}
