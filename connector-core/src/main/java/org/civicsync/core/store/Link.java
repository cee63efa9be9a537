package org.civicsync.core.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One citizen report as both systems know it: our id, each side's id and last known state.
 *
 * <p>{@link #revision()} makes updates optimistic: {@link Links#update(Link)} writes only when the
 * stored revision still equals this one, so two nodes working the same report cannot overwrite
 * each other's progress unseen. The {@code with...} methods keep the revision; the store bumps it.
 */
public record Link(
    long id,
    String jurisdiction,
    Optional<String> crmId,
    Optional<String> open311Id,
    Optional<String> fixMyStreetId,
    SideState open311,
    SideState crm,
    boolean complete,
    long revision,
    Instant created,
    Instant updated) {

  public Link {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    Objects.requireNonNull(crmId, "crmId == null");
    Objects.requireNonNull(open311Id, "open311Id == null");
    Objects.requireNonNull(fixMyStreetId, "fixMyStreetId == null");
    Objects.requireNonNull(open311, "open311 == null");
    Objects.requireNonNull(crm, "crm == null");
    Objects.requireNonNull(created, "created == null");
    Objects.requireNonNull(updated, "updated == null");
  }

  /** The state of one side. */
  public SideState side(Side side) {
    Objects.requireNonNull(side, "side == null");
    return side == Side.OPEN311 ? open311 : crm;
  }

  public Link withSide(Side side, SideState state) {
    Objects.requireNonNull(side, "side == null");
    Objects.requireNonNull(state, "state == null");
    return side == Side.OPEN311
        ? new Link(id, jurisdiction, crmId, open311Id, fixMyStreetId, state, crm, complete,
            revision, created, updated)
        : new Link(id, jurisdiction, crmId, open311Id, fixMyStreetId, open311, state, complete,
            revision, created, updated);
  }

  public Link withCrmId(String crmId) {
    return new Link(id, jurisdiction, Optional.of(crmId), open311Id, fixMyStreetId, open311, crm,
        complete, revision, created, updated);
  }

  public Link withOpen311Id(String open311Id) {
    return new Link(id, jurisdiction, crmId, Optional.of(open311Id), fixMyStreetId, open311, crm,
        complete, revision, created, updated);
  }

  public Link withFixMyStreetId(String fixMyStreetId) {
    return new Link(id, jurisdiction, crmId, open311Id, Optional.of(fixMyStreetId), open311, crm,
        complete, revision, created, updated);
  }

  public Link withComplete(boolean complete) {
    return new Link(id, jurisdiction, crmId, open311Id, fixMyStreetId, open311, crm, complete,
        revision, created, updated);
  }
}
