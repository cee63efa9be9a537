package org.civicsync.core.mapping;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.civicsync.core.model.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One jurisdiction's status rules: CRM code to canonical status (or {@code IGNORE}), the default
 * for codes nobody mapped, canonical status back to a CRM code, which statuses close the CRM case,
 * and whether a citizen's "fixed" does.
 */
public final class StatusMapping {
  private static final Logger LOG = LoggerFactory.getLogger(StatusMapping.class);

  private final String jurisdiction;
  private final Map<String, Status> fromCrm;
  private final Set<String> ignored;
  private final Optional<Status> unknownCrmStatus;
  private final Map<Status, String> toCrm;
  private final Set<Status> closingCrmCase;
  private final boolean citizenFixedClosesCrmCase;

  private StatusMapping(String jurisdiction, Builder b) {
    this.jurisdiction = jurisdiction;
    this.fromCrm = Collections.unmodifiableMap(new LinkedHashMap<>(b.fromCrm));
    this.ignored = Collections.unmodifiableSet(new LinkedHashSet<>(b.ignored));
    this.unknownCrmStatus = b.unknownCrmStatus;
    this.toCrm = Collections.unmodifiableMap(new EnumMap<>(b.toCrm));
    this.closingCrmCase = Collections.unmodifiableSet(
        b.closingCrmCase.isEmpty() ? EnumSet.noneOf(Status.class) : EnumSet.copyOf(b.closingCrmCase));
    this.citizenFixedClosesCrmCase = b.citizenFixedClosesCrmCase;
  }

  /**
   * What {@code crmCode} means for Open311. A code not in the mapping gets the jurisdiction's
   * default, with a warning naming only the code and the case: the operator should add it.
   */
  public MappedStatus fromCrm(String crmCode, String caseId) {
    Objects.requireNonNull(crmCode, "crmCode == null");
    Objects.requireNonNull(caseId, "caseId == null");
    Status status = fromCrm.get(crmCode);
    if (status != null) {
      return new MappedStatus(Optional.of(status), crmCode, false);
    }
    if (ignored.contains(crmCode)) {
      return new MappedStatus(Optional.empty(), crmCode, false);
    }
    LOG.warn("jurisdiction {}: unmapped CRM status code '{}' on case {}; using default {}",
        jurisdiction, crmCode, caseId, unknownCrmStatus.map(Status::name).orElse("IGNORE"));
    return new MappedStatus(unknownCrmStatus, crmCode, true);
  }

  /** The CRM code to set when Open311 moves a report to {@code status}; empty when unmapped. */
  public Optional<String> toCrm(Status status) {
    return Optional.ofNullable(toCrm.get(Objects.requireNonNull(status, "status == null")));
  }

  /** Whether an update to {@code status} from Open311 closes the CRM case. */
  public boolean closesCrmCase(Status status) {
    return closingCrmCase.contains(Objects.requireNonNull(status, "status == null"));
  }

  /** Whether a citizen reporting "fixed" closes the CRM case, or only adds a note. */
  public boolean citizenFixedClosesCrmCase() {
    return citizenFixedClosesCrmCase;
  }

  /** Mapped CRM codes; codes mapped to {@code IGNORE} are in {@link #ignoredCrmCodes()}. */
  public Map<String, Status> crmCodes() {
    return fromCrm;
  }

  public Set<String> ignoredCrmCodes() {
    return ignored;
  }

  /** The status for unmapped CRM codes; empty means {@code IGNORE}. */
  public Optional<Status> unknownCrmStatus() {
    return unknownCrmStatus;
  }

  public Set<Status> closingCrmCase() {
    return closingCrmCase;
  }

  /** Collects status rules for {@link JurisdictionMapping.Builder}; checked when it builds. */
  static final class Builder {
    private final Map<String, Status> fromCrm = new LinkedHashMap<>();
    private final Set<String> ignored = new LinkedHashSet<>();
    private Optional<Status> unknownCrmStatus = Optional.empty();
    private final Map<Status, String> toCrm = new EnumMap<>(Status.class);
    private final Set<Status> closingCrmCase = new LinkedHashSet<>();
    private boolean citizenFixedClosesCrmCase;

    void fromCrm(String crmCode, Status status) {
      Objects.requireNonNull(crmCode, "crmCode == null");
      Objects.requireNonNull(status, "status == null");
      ignored.remove(crmCode);
      fromCrm.put(crmCode, status);
    }

    void ignore(String crmCode) {
      Objects.requireNonNull(crmCode, "crmCode == null");
      fromCrm.remove(crmCode);
      ignored.add(crmCode);
    }

    void unknownCrmStatus(Optional<Status> status) {
      this.unknownCrmStatus = Objects.requireNonNull(status, "status == null");
    }

    void toCrm(Status status, String crmCode) {
      toCrm.put(Objects.requireNonNull(status, "status == null"),
          Objects.requireNonNull(crmCode, "crmCode == null"));
    }

    void closesCrmCase(Status status) {
      closingCrmCase.add(Objects.requireNonNull(status, "status == null"));
    }

    void citizenFixedClosesCrmCase(boolean value) {
      this.citizenFixedClosesCrmCase = value;
    }

    /** Cross-field checks; {@code base} is the path of the {@code statuses} section. */
    void validate(String base, Problems problems) {
      if (fromCrm.isEmpty() && ignored.isEmpty()) {
        problems.addAbsence(Problems.path(base, "crm_to_open311"), "map at least one CRM status code");
      }
      for (String code : fromCrm.keySet()) {
        if (code.isBlank()) {
          problems.add(Problems.path(base, "crm_to_open311"), "a CRM status code is blank");
        }
      }
      toCrm.forEach((status, code) -> {
        String path = Problems.path(base, "open311_to_crm." + status.wireName());
        if (status == Status.UNCHANGED) {
          problems.add(path, "'unchanged' changes no state, so it has no CRM status code");
        }
        if (code.isBlank()) {
          problems.add(path, "the CRM status code is blank");
        }
      });
      for (Status status : closingCrmCase) {
        if (!status.isClosed()) {
          problems.add(Problems.path(base, "closes_crm_case"), "'" + status.wireName()
              + "' is not a closed status, so it cannot close the CRM case");
        }
      }
    }

    StatusMapping build(String jurisdiction) {
      return new StatusMapping(jurisdiction, this);
    }
  }
}
