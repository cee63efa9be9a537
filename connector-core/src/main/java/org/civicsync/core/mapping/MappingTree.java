package org.civicsync.core.mapping;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.civicsync.core.model.Status;

/**
 * Reads a {@link Mapping} from a parsed YAML or JSON tree. Reading never stops at the first
 * mistake: each is recorded with its path and reading goes on, so one run reports them all.
 */
final class MappingTree {
  private static final String IGNORE = "IGNORE";
  private static final Set<String> ROOT_KEYS = Set.of("jurisdictions");
  private static final Set<String> JURISDICTION_KEYS =
      Set.of("services", "attributes", "statuses", "timezones");
  private static final Set<String> STATUS_KEYS = Set.of("crm_to_open311", "unknown_crm_status",
      "open311_to_crm", "closes_crm_case", "citizen_fixed_closes_crm_case");
  private static final Set<String> ZONE_KEYS = Set.of("crm", "open311");

  private final Problems problems = new Problems();

  private MappingTree() {}

  static Mapping read(Map<String, ?> tree) {
    MappingTree reader = new MappingTree();
    Mapping.Builder builder = Mapping.builder();
    reader.root(tree, builder);
    Problems checks = new Problems();
    builder.validate(checks);
    reader.problems.addUnlessCovered(checks);
    reader.problems.throwIfAny();
    return builder.buildChecked();
  }

  private void root(Map<String, ?> tree, Mapping.Builder builder) {
    knownKeys(tree, "", ROOT_KEYS);
    map(tree.get("jurisdictions"), "jurisdictions").ifPresent(all -> all.forEach((id, value) -> {
      String path = Problems.path("jurisdictions", id);
      JurisdictionMapping.Builder j = JurisdictionMapping.builder(id);
      builder.jurisdiction(j);
      map(value, path).ifPresent(section -> jurisdiction(section, path, j));
    }));
  }

  private void jurisdiction(Map<String, ?> section, String base, JurisdictionMapping.Builder j) {
    knownKeys(section, base, JURISDICTION_KEYS);
    pairs(section.get("services"), Problems.path(base, "services"), j::service);
    pairs(section.get("attributes"), Problems.path(base, "attributes"), j::attribute);
    String statusBase = Problems.path(base, "statuses");
    map(section.get("statuses"), statusBase).ifPresent(s -> statuses(s, statusBase, j));
    String zoneBase = Problems.path(base, "timezones");
    map(section.get("timezones"), zoneBase).ifPresent(zones -> {
      knownKeys(zones, zoneBase, ZONE_KEYS);
      zone(zones.get("crm"), Problems.path(zoneBase, "crm"), j::crmZone);
      zone(zones.get("open311"), Problems.path(zoneBase, "open311"), j::open311Zone);
    });
  }

  private void statuses(Map<String, ?> section, String base, JurisdictionMapping.Builder j) {
    knownKeys(section, base, STATUS_KEYS);
    String fromCrm = Problems.path(base, "crm_to_open311");
    map(section.get("crm_to_open311"), fromCrm).ifPresent(codes -> codes.forEach((code, v) -> {
      String path = Problems.path(fromCrm, code);
      text(v, path).ifPresent(word -> target(word, path).ifPresent(
          target -> target.ifPresentOrElse(s -> j.crmStatus(code, s),
              () -> j.ignoreCrmStatus(code))));
    }));
    Object unknown = section.get("unknown_crm_status");
    if (unknown != null) {
      String path = Problems.path(base, "unknown_crm_status");
      text(unknown, path).ifPresent(word -> target(word, path).ifPresent(
          target -> target.ifPresentOrElse(j::unknownCrmStatus, j::ignoreUnknownCrmStatus)));
    }
    Object toCrm = section.get("open311_to_crm");
    if (toCrm != null) {
      String toCrmBase = Problems.path(base, "open311_to_crm");
      Map<Status, String> seen = new java.util.EnumMap<>(Status.class);
      map(toCrm, toCrmBase).ifPresent(codes -> codes.forEach((word, v) -> {
        String path = Problems.path(toCrmBase, word);
        Optional<Status> status = status(word, path);
        Optional<String> code = text(v, path);
        status.map(s -> seen.putIfAbsent(s, word)).ifPresent(
            first -> problems.add(path, "the same status as '" + first + "'"));
        if (status.isPresent() && code.isPresent()) {
          j.open311Status(status.get(), code.get());
        }
      }));
    }
    Object closing = section.get("closes_crm_case");
    if (closing != null) {
      String path = Problems.path(base, "closes_crm_case");
      if (closing instanceof List<?> list) {
        for (int i = 0; i < list.size(); i++) {
          String itemPath = path + "[" + i + "]";
          text(list.get(i), itemPath).flatMap(w -> status(w, itemPath))
              .ifPresent(j::closesCrmCase);
        }
      } else {
        problems.add(path, "expected a list of statuses, found " + describe(closing));
      }
    }
    Object citizenFixed = section.get("citizen_fixed_closes_crm_case");
    if (citizenFixed != null) {
      if (citizenFixed instanceof Boolean flag) {
        j.citizenFixedClosesCrmCase(flag);
      } else {
        problems.add(Problems.path(base, "citizen_fixed_closes_crm_case"),
            "expected true or false, found " + describe(citizenFixed));
      }
    }
  }

  /** A status or {@code IGNORE}: present-empty means IGNORE, empty means an error was recorded. */
  private Optional<Optional<Status>> target(String word, String path) {
    if (word.strip().equalsIgnoreCase(IGNORE)) {
      return Optional.of(Optional.empty());
    }
    return status(word, path).map(Optional::of);
  }

  private Optional<Status> status(String word, String path) {
    try {
      return Optional.of(Status.parse(word));
    } catch (IllegalArgumentException e) {
      problems.add(path, "unknown status '" + word + "'");
      return Optional.empty();
    }
  }

  private void zone(Object value, String path, Consumer<ZoneId> to) {
    if (value == null) {
      return; // reported as missing by the builder's checks
    }
    text(value, path).ifPresent(name -> {
      try {
        to.accept(ZoneId.of(name.strip()));
      } catch (DateTimeException e) {
        problems.add(path, "unknown time zone '" + name + "'");
      }
    });
  }

  private void pairs(Object value, String base, java.util.function.BiConsumer<String, String> to) {
    if (value == null) {
      return;
    }
    map(value, base).ifPresent(m -> m.forEach(
        (key, v) -> text(v, Problems.path(base, key)).ifPresent(t -> to.accept(key, t))));
  }

  @SuppressWarnings("unchecked")
  private Optional<Map<String, ?>> map(Object value, String path) {
    if (value == null) {
      problems.add(path, "missing");
      return Optional.empty();
    }
    if (!(value instanceof Map<?, ?>)) {
      problems.add(path, "expected a map, found " + describe(value));
      return Optional.empty();
    }
    return Optional.of((Map<String, ?>) value);
  }

  /** Text, or a number: a CRM's status codes are often numbers (Dynamics' statuscode). */
  private Optional<String> text(Object value, String path) {
    if (value instanceof String s) {
      if (s.isBlank()) {
        problems.add(path, "empty");
        return Optional.empty();
      }
      return Optional.of(s);
    }
    if (value instanceof Number n) {
      return Optional.of(n.toString());
    }
    problems.add(path, value == null ? "missing" : "expected a text, found " + describe(value));
    return Optional.empty();
  }

  private void knownKeys(Map<String, ?> section, String base, Set<String> known) {
    for (String key : section.keySet()) {
      if (!known.contains(key)) {
        problems.add(Problems.path(base, key),
            "unknown key: expected one of " + new java.util.TreeSet<>(known));
      }
    }
  }

  private static String describe(Object value) {
    if (value instanceof Map<?, ?>) {
      return "a map";
    }
    if (value instanceof List<?>) {
      return "a list";
    }
    return value.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " '" + value + "'";
  }
}
