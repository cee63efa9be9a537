package org.civicsync.examples.config;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.civicsync.core.mapping.JurisdictionMapping;
import org.civicsync.core.mapping.Mapping;
import org.civicsync.core.mapping.MappingException;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.core.sync.SyncSettings;

/**
 * One council's pairing as configured: its Open311 side (poll and/or serve), its CRM, its mapping
 * (the form of {@link Mapping#fromTree}, under {@code mapping}), sync settings and resilience.
 */
public record JurisdictionConfig(
    String id, Optional<PollConfig> poll, Optional<ServeConfig> serve, CrmConfig crm,
    JurisdictionMapping mapping, SyncSettings sync, ResilienceConfig resilience) {

  static final Set<String> KEYS = Set.of("open311", "crm", "mapping", "sync", "resilience");

  public JurisdictionConfig {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(poll, "poll == null");
    Objects.requireNonNull(serve, "serve == null");
    Objects.requireNonNull(crm, "crm == null");
    Objects.requireNonNull(mapping, "mapping == null");
    Objects.requireNonNull(sync, "sync == null");
    Objects.requireNonNull(resilience, "resilience == null");
  }

  static Optional<JurisdictionConfig> read(String id, ConfigNode node, CrmAdapterRegistry registry,
      Clock clock) {
    node.allowOnly(KEYS);
    int before = node.problems().size();
    Optional<ConfigNode> open311 = node.requiredSection("open311",
        "give a poll section (the connector pulls) and/or a serve section (FixMyStreet pushes)");
    Optional<PollConfig> poll = Optional.empty();
    Optional<ServeConfig> serve = Optional.empty();
    if (open311.isPresent()) {
      open311.get().allowOnly(Set.of("poll", "serve"));
      poll = open311.get().section("poll").flatMap(PollConfig::read);
      serve = open311.get().section("serve").flatMap(ServeConfig::read);
      if (!open311.get().has("poll") && !open311.get().has("serve")) {
        node.problems().add(open311.get().path(), "give a poll section and/or a serve section");
      }
    }
    Optional<CrmConfig> crm = node.requiredSection("crm", "give the CRM's type and settings")
        .flatMap(c -> CrmConfig.read(c, id, registry));
    Optional<JurisdictionMapping> mapping = mapping(id, node);
    SyncSettings sync = SyncConfig.read(node.section("sync"), clock);
    ResilienceConfig resilience = ResilienceConfig.read(node.section("resilience"));
    if (node.problems().size() > before || crm.isEmpty() || mapping.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new JurisdictionConfig(id, poll, serve, crm.get(), mapping.get(), sync,
        resilience));
  }

  /** Hands the section to the mapping reader and moves its error paths under {@code mapping}. */
  private static Optional<JurisdictionMapping> mapping(String id, ConfigNode node) {
    String path = node.path("mapping");
    if (!node.has("mapping")) {
      node.problems().add(path, "is required: services, statuses and timezones "
          + "(see examples/config/memory.yaml)");
      return Optional.empty();
    }
    Object section = node.raw("mapping");
    if (!(section instanceof Map<?, ?>)) {
      node.problems().add(path, "must be a section with services, statuses and timezones");
      return Optional.empty();
    }
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("jurisdictions", Map.of(id, section));
    String prefix = "jurisdictions." + id;
    try {
      return Mapping.fromTree(tree).jurisdiction(id);
    } catch (MappingException e) {
      e.errors().forEach(error -> node.problems().add(
          error.path().startsWith(prefix) ? path + error.path().substring(prefix.length())
              : path, error.message()));
      return Optional.empty();
    }
  }
}
