package org.civicsync.core.store;

import java.util.Objects;
import java.util.Optional;

/**
 * A link not stored yet. The store assigns id, revision and times, so they are not part of it.
 * Built from the side the report was first seen on, then completed with {@code with...}.
 */
public record NewLink(
    String jurisdiction,
    Optional<String> crmId,
    Optional<String> open311Id,
    Optional<String> fixMyStreetId,
    SideState open311,
    SideState crm) {

  public NewLink {
    Objects.requireNonNull(jurisdiction, "jurisdiction == null");
    Objects.requireNonNull(crmId, "crmId == null");
    Objects.requireNonNull(open311Id, "open311Id == null");
    Objects.requireNonNull(fixMyStreetId, "fixMyStreetId == null");
    Objects.requireNonNull(open311, "open311 == null");
    Objects.requireNonNull(crm, "crm == null");
  }

  /** A report first seen on Open311 (poll mode, or POST requests in serve mode). */
  public static NewLink forOpen311(String jurisdiction, String open311Id) {
    return new NewLink(jurisdiction, Optional.empty(),
        Optional.of(Objects.requireNonNull(open311Id, "open311Id == null")),
        Optional.empty(), SideState.UNKNOWN, SideState.UNKNOWN);
  }

  /** A case first seen in the CRM. */
  public static NewLink forCrm(String jurisdiction, String crmId) {
    return new NewLink(jurisdiction, Optional.of(Objects.requireNonNull(crmId, "crmId == null")),
        Optional.empty(), Optional.empty(), SideState.UNKNOWN, SideState.UNKNOWN);
  }

  public NewLink withCrmId(String id) {
    return new NewLink(jurisdiction, Optional.of(id), open311Id, fixMyStreetId, open311, crm);
  }

  public NewLink withOpen311Id(String id) {
    return new NewLink(jurisdiction, crmId, Optional.of(id), fixMyStreetId, open311, crm);
  }

  public NewLink withFixMyStreetId(String id) {
    return new NewLink(jurisdiction, crmId, open311Id, Optional.of(id), open311, crm);
  }

  public NewLink withSide(Side side, SideState state) {
    Objects.requireNonNull(side, "side == null");
    return side == Side.OPEN311
        ? new NewLink(jurisdiction, crmId, open311Id, fixMyStreetId, state, crm)
        : new NewLink(jurisdiction, crmId, open311Id, fixMyStreetId, open311, state);
  }
}
