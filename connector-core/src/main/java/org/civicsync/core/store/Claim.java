package org.civicsync.core.store;

import java.util.Objects;

/**
 * A work item handed to one worker (now IN_FLIGHT), and the state it was claimed from. Claimed
 * from {@link OutboxState#UNKNOWN} means an earlier call may have reached the remote system: settle
 * first.
 */
public record Claim(OutboxItem item, OutboxState claimedFrom) {

  public Claim {
    Objects.requireNonNull(item, "item == null");
    Objects.requireNonNull(claimedFrom, "claimedFrom == null");
  }

  /** True when an earlier attempt's outcome is unknown and must be settled before calling again. */
  public boolean needsSettling() {
    return claimedFrom == OutboxState.UNKNOWN;
  }
}
