package org.civicsync.core.mapping;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Every jurisdiction's mapping between its CRM and Open311. Immutable, and checked as a whole
 * before anything runs: {@link Builder#build()} and {@link #fromTree(Map)} report every error at
 * once, each with its path.
 *
 * <p>The configuration form, as parsed from YAML or JSON:
 *
 * <pre>
 * jurisdictions:
 *   bristol:
 *     services:   { POT: Pothole }              # Open311 service_code: CRM case type
 *     attributes: { depth: Depth__c }           # Open311 attribute code: CRM field
 *     statuses:
 *       crm_to_open311: { NEW: open, INP: in_progress, DONE: fixed, DRAFT: IGNORE }
 *       unknown_crm_status: in_progress         # optional; IGNORE when absent
 *       open311_to_crm: { fixed: DONE, reopen: NEW }
 *       closes_crm_case: [ fixed, closed ]
 *       citizen_fixed_closes_crm_case: false    # optional; false when absent
 *     timezones: { crm: Europe/London, open311: Europe/London }
 * </pre>
 */
public final class Mapping {
  private final Map<String, JurisdictionMapping> jurisdictions;

  private Mapping(Map<String, JurisdictionMapping> jurisdictions) {
    this.jurisdictions = Collections.unmodifiableMap(new LinkedHashMap<>(jurisdictions));
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads a mapping from a tree of maps, lists and scalars (Jackson's {@code Map<String,Object>}
   * of a YAML or JSON document) whose root holds {@code jurisdictions}.
   *
   * @throws MappingException with every error: unknown keys, wrong types, unknown statuses or
   *     zones, and the cross-checks of {@link JurisdictionMapping.Builder#build()}
   */
  public static Mapping fromTree(Map<String, ?> tree) {
    return MappingTree.read(Objects.requireNonNull(tree, "tree == null"));
  }

  public Optional<JurisdictionMapping> jurisdiction(String id) {
    return Optional.ofNullable(jurisdictions.get(Objects.requireNonNull(id, "id == null")));
  }

  public Map<String, JurisdictionMapping> jurisdictions() {
    return jurisdictions;
  }

  @Override
  public String toString() {
    return "Mapping" + jurisdictions.keySet();
  }

  /** Collects jurisdictions; checked together by {@link #build()}. */
  public static final class Builder {
    private final Map<String, JurisdictionMapping.Builder> jurisdictions = new LinkedHashMap<>();

    private Builder() {}

    public Builder jurisdiction(JurisdictionMapping.Builder jurisdiction) {
      Objects.requireNonNull(jurisdiction, "jurisdiction == null");
      jurisdictions.put(jurisdiction.id(), jurisdiction);
      return this;
    }

    /** @throws MappingException with every error of every jurisdiction */
    public Mapping build() {
      Problems problems = new Problems();
      validate(problems);
      problems.throwIfAny();
      return buildChecked();
    }

    void validate(Problems problems) {
      if (jurisdictions.isEmpty()) {
        problems.addAbsence("jurisdictions", "configure at least one jurisdiction");
      }
      jurisdictions.forEach((id, j) -> j.validate(Problems.path("jurisdictions", id), problems));
    }

    Mapping buildChecked() {
      Map<String, JurisdictionMapping> built = new LinkedHashMap<>();
      jurisdictions.forEach((id, j) -> built.put(id, j.build()));
      return new Mapping(built);
    }
  }
}
