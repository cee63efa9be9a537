package org.civicsync.core.store;

import java.util.Objects;
import java.util.Optional;
import org.civicsync.core.model.Status;

/**
 * What the store last knew of one side of a link: its status and the version of the change that
 * set it. The engine compares versions so that a late or repeated change never moves a status back.
 */
public record SideState(Optional<Status> status, Optional<String> version) {

  /** Nothing known yet. */
  public static final SideState UNKNOWN = new SideState(Optional.empty(), Optional.empty());

  public SideState {
    Objects.requireNonNull(status, "status == null");
    Objects.requireNonNull(version, "version == null");
  }

  public static SideState of(Status status, String version) {
    return new SideState(
        Optional.of(Objects.requireNonNull(status, "status == null")),
        Optional.of(Objects.requireNonNull(version, "version == null")));
  }
}
