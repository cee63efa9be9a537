package org.civicsync.core.mapping;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.civicsync.core.model.Attributes;
import org.civicsync.core.model.Status;

/**
 * How one jurisdiction's CRM and Open311 endpoint translate into each other: service codes and
 * case types, attribute codes and CRM fields, statuses, and each side's time zone. Immutable;
 * made with {@link #builder(String)} or read by {@link Mapping#fromTree}.
 *
 * <p>Service codes and case types map one to one, as do attributes and fields: a case raised in
 * the CRM must find exactly one Open311 service, so two service codes on one case type are an
 * error rather than a silent choice.
 */
public final class JurisdictionMapping {
  private final String id;
  private final Map<String, String> caseTypes;
  private final Map<String, String> serviceCodes;
  private final Map<String, String> crmFields;
  private final Map<String, String> attributeCodes;
  private final StatusMapping statuses;
  private final ZoneId crmZone;
  private final ZoneId open311Zone;

  private JurisdictionMapping(Builder b) {
    this.id = b.id;
    this.caseTypes = Collections.unmodifiableMap(new LinkedHashMap<>(b.caseTypes));
    this.serviceCodes = inverse(caseTypes);
    this.crmFields = Collections.unmodifiableMap(new LinkedHashMap<>(b.crmFields));
    this.attributeCodes = inverse(crmFields);
    this.statuses = b.statuses.build(b.id);
    this.crmZone = b.crmZone;
    this.open311Zone = b.open311Zone;
  }

  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** The jurisdiction's key in the configuration, e.g. {@code bristol}. */
  public String id() {
    return id;
  }

  /** The CRM case type for an Open311 {@code service_code}. */
  public Optional<String> caseType(String serviceCode) {
    return Optional.ofNullable(caseTypes.get(Objects.requireNonNull(serviceCode, "serviceCode == null")));
  }

  /** The Open311 {@code service_code} for a CRM case type. */
  public Optional<String> serviceCode(String caseType) {
    return Optional.ofNullable(serviceCodes.get(Objects.requireNonNull(caseType, "caseType == null")));
  }

  /** The CRM field for an Open311 attribute code. */
  public Optional<String> crmField(String attributeCode) {
    return Optional.ofNullable(
        crmFields.get(Objects.requireNonNull(attributeCode, "attributeCode == null")));
  }

  /** The Open311 attribute code for a CRM field. */
  public Optional<String> attributeCode(String crmField) {
    return Optional.ofNullable(
        attributeCodes.get(Objects.requireNonNull(crmField, "crmField == null")));
  }

  /**
   * A report's attributes as CRM fields. Attributes with no mapping are left out: they are
   * Open311's business (such as {@code fixmystreet_id}) or the CRM has no place for them.
   */
  public Map<String, List<String>> crmFields(Attributes attributes) {
    Objects.requireNonNull(attributes, "attributes == null");
    Map<String, List<String>> fields = new LinkedHashMap<>();
    attributes.asMap().forEach((code, values) -> {
      String field = crmFields.get(code);
      if (field != null) {
        fields.put(field, values);
      }
    });
    return Collections.unmodifiableMap(fields);
  }

  /** Open311 service code to CRM case type. */
  public Map<String, String> services() {
    return caseTypes;
  }

  /** Open311 attribute code to CRM field. */
  public Map<String, String> attributes() {
    return crmFields;
  }

  public StatusMapping statuses() {
    return statuses;
  }

  /** The zone the CRM's local times are in: adapters over such CRMs convert with it. */
  public ZoneId crmZone() {
    return crmZone;
  }

  /** The zone Open311 times are written in for this jurisdiction. */
  public ZoneId open311Zone() {
    return open311Zone;
  }

  /** {@code time} as an Open311 datetime in this jurisdiction's zone. */
  public OffsetDateTime open311Time(Instant time) {
    return Objects.requireNonNull(time, "time == null").atZone(open311Zone).toOffsetDateTime();
  }

  @Override
  public String toString() {
    return "JurisdictionMapping[" + id + "]";
  }

  private static Map<String, String> inverse(Map<String, String> map) {
    Map<String, String> inverse = new HashMap<>();
    map.forEach((k, v) -> inverse.put(v, k));
    return Collections.unmodifiableMap(inverse);
  }

  /** Collects one jurisdiction's rules; {@link #build()} checks them all at once. */
  public static final class Builder {
    private final String id;
    private final Map<String, String> caseTypes = new LinkedHashMap<>();
    private final Map<String, String> crmFields = new LinkedHashMap<>();
    private final StatusMapping.Builder statuses = new StatusMapping.Builder();
    private ZoneId crmZone;
    private ZoneId open311Zone;

    private Builder(String id) {
      this.id = Objects.requireNonNull(id, "id == null");
    }

    public String id() {
      return id;
    }

    /** Reports under Open311 {@code serviceCode} become CRM cases of {@code caseType}. */
    public Builder service(String serviceCode, String caseType) {
      caseTypes.put(Objects.requireNonNull(serviceCode, "serviceCode == null"),
          Objects.requireNonNull(caseType, "caseType == null"));
      return this;
    }

    public Builder attribute(String attributeCode, String crmField) {
      crmFields.put(Objects.requireNonNull(attributeCode, "attributeCode == null"),
          Objects.requireNonNull(crmField, "crmField == null"));
      return this;
    }

    /** CRM status {@code crmCode} is sent to Open311 as {@code status}. */
    public Builder crmStatus(String crmCode, Status status) {
      statuses.fromCrm(crmCode, status);
      return this;
    }

    /** Changes to CRM status {@code crmCode} are not sent to Open311. */
    public Builder ignoreCrmStatus(String crmCode) {
      statuses.ignore(crmCode);
      return this;
    }

    /** Unmapped CRM codes are sent as {@code status}, with a warning. */
    public Builder unknownCrmStatus(Status status) {
      statuses.unknownCrmStatus(Optional.of(Objects.requireNonNull(status, "status == null")));
      return this;
    }

    /** Unmapped CRM codes are not sent, with a warning. The default. */
    public Builder ignoreUnknownCrmStatus() {
      statuses.unknownCrmStatus(Optional.empty());
      return this;
    }

    /** An Open311 update to {@code status} sets CRM status {@code crmCode}. */
    public Builder open311Status(Status status, String crmCode) {
      statuses.toCrm(status, crmCode);
      return this;
    }

    /** An Open311 update to any of {@code closing} closes the CRM case. */
    public Builder closesCrmCase(Status... closing) {
      for (Status status : closing) {
        statuses.closesCrmCase(status);
      }
      return this;
    }

    /** Whether a citizen's "fixed" closes the CRM case. Default false: it becomes a note. */
    public Builder citizenFixedClosesCrmCase(boolean value) {
      statuses.citizenFixedClosesCrmCase(value);
      return this;
    }

    public Builder crmZone(ZoneId value) {
      this.crmZone = Objects.requireNonNull(value, "crmZone == null");
      return this;
    }

    public Builder open311Zone(ZoneId value) {
      this.open311Zone = Objects.requireNonNull(value, "open311Zone == null");
      return this;
    }

    /**
     * A checked, immutable mapping.
     *
     * @throws MappingException with every error found, paths under {@code jurisdictions.<id>}
     */
    public JurisdictionMapping build() {
      Problems problems = new Problems();
      validate(Problems.path("jurisdictions", id), problems);
      problems.throwIfAny();
      return new JurisdictionMapping(this);
    }

    void validate(String base, Problems problems) {
      if (caseTypes.isEmpty()) {
        problems.addAbsence(Problems.path(base, "services"), "map at least one service code");
      }
      oneToOne(caseTypes, Problems.path(base, "services"), "case type", problems);
      oneToOne(crmFields, Problems.path(base, "attributes"), "CRM field", problems);
      statuses.validate(Problems.path(base, "statuses"), problems);
      if (crmZone == null) {
        problems.addAbsence(Problems.path(base, "timezones.crm"), "missing: name the CRM's time zone");
      }
      if (open311Zone == null) {
        problems.addAbsence(Problems.path(base, "timezones.open311"),
            "missing: name the Open311 time zone");
      }
    }

    private static void oneToOne(
        Map<String, String> map, String base, String what, Problems problems) {
      Map<String, String> seen = new HashMap<>();
      map.forEach((key, value) -> {
        String path = Problems.path(base, key);
        if (key.isBlank()) {
          problems.add(base, "a key is blank");
        }
        if (value.isBlank()) {
          problems.add(path, "the " + what + " is blank");
          return;
        }
        String first = seen.putIfAbsent(value, key);
        if (first != null) {
          problems.add(path, what + " '" + value + "' is already mapped from '" + first + "'");
        }
      });
    }
  }
}
