package org.civicsync.examples.config;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.civicsync.core.mapping.JurisdictionMapping;
import org.civicsync.core.mapping.Mapping;
import org.civicsync.core.mapping.MappingException;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.core.spi.ServiceCatalogue;
import org.civicsync.core.sync.SyncSettings;

/**
 * One council's pairing as configured: its Open311 side (poll and/or serve), its CRM, its mapping
 * (the form of {@link Mapping#fromTree}, under {@code mapping}), sync settings and resilience.
 *
 * <p>A served jurisdiction may instead fan out to several CRMs ({@code fan_out}, see
 * {@link BranchConfig}); then {@link #fanOut()} holds the branches, and {@link #crm()} and
 * {@link #mapping()} are the first branch's CRM and the jurisdiction's mapping (the first branch's
 * when the jurisdiction gives none), for code that needs one of each.
 */
public record JurisdictionConfig(
    String id, Optional<PollConfig> poll, Optional<ServeConfig> serve, CrmConfig crm,
    JurisdictionMapping mapping, SyncSettings sync, ResilienceConfig resilience,
    List<BranchConfig> fanOut) {

  static final Set<String> KEYS = Set.of("open311", "crm", "mapping", "sync", "resilience",
      "fan_out");
  static final Set<String> BRANCH_KEYS = Set.of("prefix", "services", "crm", "mapping");
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9]{1,16}");

  public JurisdictionConfig {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(poll, "poll == null");
    Objects.requireNonNull(serve, "serve == null");
    Objects.requireNonNull(crm, "crm == null");
    Objects.requireNonNull(mapping, "mapping == null");
    Objects.requireNonNull(sync, "sync == null");
    Objects.requireNonNull(resilience, "resilience == null");
    fanOut = List.copyOf(Objects.requireNonNull(fanOut, "fanOut == null"));
  }

  /** A jurisdiction with one CRM. */
  public JurisdictionConfig(String id, Optional<PollConfig> poll, Optional<ServeConfig> serve,
      CrmConfig crm, JurisdictionMapping mapping, SyncSettings sync, ResilienceConfig resilience) {
    this(id, poll, serve, crm, mapping, sync, resilience, List.of());
  }

  /** Whether the jurisdiction is served from several CRMs. */
  public boolean fansOut() {
    return !fanOut.isEmpty();
  }

  /**
   * How {@code run} serves it, for {@code validate}: the address, where the service list comes
   * from, and for a fan-out which CRM takes which services. Empty when it does not serve.
   */
  public List<String> servingDescription() {
    if (serve.isEmpty()) {
      return List.of();
    }
    ServeConfig s = serve.get();
    List<String> lines = new ArrayList<>();
    String services = s.servicesFromCrm() && fansOut()
        ? "services from each branch's CRM catalogue (through the mapping, only the codes the"
            + " branch takes, refreshed every " + s.servicesRefresh() + ")"
        : s.servicesFromCrm()
        ? "services from CRM " + crm.name() + "'s catalogue (through the mapping, refreshed every "
            + s.servicesRefresh() + ")"
        : fansOut() ? "services from the branches below" : "services " + mapping.services().keySet()
            + " from the mapping";
    lines.add(id + " is served by `run` at http://" + s.describe() + " ("
        + (s.queued() ? "queued" : "realtime") + "); " + services);
    for (BranchConfig b : fanOut) {
      lines.add("  fan-out " + b.prefix() + "-<id>: " + b.services() + " to CRM " + b.crm().name()
          + " [" + b.crm().type() + "]");
    }
    return List.copyOf(lines);
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
    SyncSettings sync = SyncConfig.read(node.section("sync"), clock);
    ResilienceConfig resilience = ResilienceConfig.read(node.section("resilience"));
    if (node.has("fan_out")) {
      return fanOut(id, node, poll, serve, registry, sync, resilience, before);
    }
    Optional<CrmConfig> crm = node.requiredSection("crm", "give the CRM's type and settings (or, "
        + "to serve one jurisdiction from several CRMs, fan_out: see examples/config/serve-fanout.yaml)")
        .flatMap(c -> CrmConfig.read(c, id, registry));
    Optional<JurisdictionMapping> mapping = mapping(id, node);
    if (crm.isPresent() && serve.isPresent() && serve.get().servicesFromCrm()) {
      needsCatalogue(crm.get(), node, registry);
    }
    if (node.problems().size() > before || crm.isEmpty() || mapping.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new JurisdictionConfig(id, poll, serve, crm.get(), mapping.get(), sync,
        resilience));
  }

  /** services_from_crm needs a CRM that can list its case types. */
  private static void needsCatalogue(CrmConfig crm, ConfigNode node, CrmAdapterRegistry registry) {
    if (!crm.offers(registry, ServiceCatalogue.class)) {
      node.problems().add(node.path("open311.serve.services_from_crm"), "CRM type '" + crm.type()
          + "' has no service catalogue to publish; remove services_from_crm (the mapping's"
          + " services are served)");
    }
  }

  /** A jurisdiction served from several CRMs: {@code fan_out} instead of {@code crm}. */
  private static Optional<JurisdictionConfig> fanOut(String id, ConfigNode node,
      Optional<PollConfig> poll, Optional<ServeConfig> serve, CrmAdapterRegistry registry,
      SyncSettings sync, ResilienceConfig resilience, int before) {
    String path = node.path("fan_out");
    if (node.has("crm")) {
      node.problems().add(node.path("crm"), "give either crm (one CRM) or fan_out (several), not "
          + "both: move this CRM into a fan_out branch, or remove fan_out");
    }
    boolean serves = node.raw("open311") instanceof Map<?, ?> o && o.get("serve") != null;
    boolean polls = node.raw("open311") instanceof Map<?, ?> o && o.get("poll") != null;
    if (!serves || polls) {
      node.problems().add(path, "only serve mode fans out: give open311.serve and no"
          + " open311.poll, or use crm instead of fan_out");
    }
    boolean fromCrm = serve.isPresent() && serve.get().servicesFromCrm();
    Optional<JurisdictionMapping> shared = node.has("mapping") ? mapping(id, node)
        : Optional.empty();
    boolean sharedBroken = node.has("mapping") && shared.isEmpty();
    Object raw = node.raw("fan_out");
    if (!(raw instanceof List<?> list) || list.isEmpty()) {
      node.problems().add(path, "must be a list of branches, each with prefix, services and crm "
          + "(see examples/config/serve-fanout.yaml)");
      return Optional.empty();
    }
    List<BranchConfig> branches = new ArrayList<>();
    Map<String, String> prefixes = new HashMap<>();
    Map<String, String> owners = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String at = path + "[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> map)) {
        node.problems().add(at, "must be a section with prefix, services and crm");
        continue;
      }
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), v));
      ConfigNode b = new ConfigNode(at, copy, node.problems(), node.secrets());
      b.allowOnly(BRANCH_KEYS);
      Optional<String> prefix = b.requiredText("prefix", "1 to 16 letters or digits, e.g. hw;"
          + " this branch's ids are served as <prefix>-<case id>");
      if (prefix.isPresent() && !PREFIX.matcher(prefix.get()).matches()) {
        b.problems().add(b.path("prefix"), "'" + prefix.get() + "' must be 1 to 16 letters or "
            + "digits (no '-': ids are served as <prefix>-<case id>), e.g. hw");
        prefix = Optional.empty();
      }
      if (prefix.isPresent()) {
        String was = prefixes.putIfAbsent(prefix.get().toLowerCase(Locale.ROOT), at);
        if (was != null) {
          b.problems().add(b.path("prefix"), "'" + prefix.get() + "' is already the prefix of "
              + was + "; give each branch its own prefix");
          prefix = Optional.empty();
        }
      }
      List<String> services = services(b);
      String crmName = id + "-" + prefix.orElse("branch" + i);
      Optional<CrmConfig> crm = b.requiredSection("crm", "give this branch's CRM type and settings")
          .flatMap(c -> CrmConfig.read(c, crmName, registry));
      if (fromCrm && crm.isPresent() && !crm.get().offers(registry, ServiceCatalogue.class)) {
        b.problems().add(b.path("crm"), "CRM type '" + crm.get().type() + "' has no service"
            + " catalogue, so services_from_crm cannot publish this branch's services; give this"
            + " branch a CRM type with one, or remove "
            + node.path("open311.serve.services_from_crm")
            + " (the branches' services are served)");
      }
      Optional<JurisdictionMapping> mapping = b.has("mapping") ? mapping(id, b) : shared;
      if (!b.has("mapping") && !node.has("mapping")) {
        b.problems().add(b.path("mapping"), "is required when the jurisdiction gives no mapping:"
            + " give one here, or a mapping beside fan_out that every branch shares");
      }
      for (String code : services) {
        String was = owners.putIfAbsent(code, at);
        if (was != null) {
          b.problems().add(b.path("services"), "'" + code + "' already goes to " + was
              + "; a service goes to one CRM: list it in one branch only");
        }
        mapping.filter(m -> !m.services().containsKey(code)).ifPresent(m -> b.problems().add(
            b.path("services"), "'" + code + "' is not a service of "
                + (b.has("mapping") ? b.path("mapping") : node.path("mapping")) + ".services "
                + m.services().keySet() + "; add it there or remove it here"));
      }
      if (prefix.isPresent() && crm.isPresent() && mapping.isPresent() && !services.isEmpty()) {
        branches.add(new BranchConfig(prefix.get(), services, crm.get(), mapping.get(),
            BranchConfig.servingId(id, prefix.get())));
      }
    }
    if (node.problems().size() > before || sharedBroken || branches.size() != list.size()) {
      return Optional.empty();
    }
    return Optional.of(new JurisdictionConfig(id, poll, serve, branches.get(0).crm(),
        shared.orElse(branches.get(0).mapping()), sync, resilience, branches));
  }

  /** A branch's {@code services}: a non-empty list of distinct codes. */
  private static List<String> services(ConfigNode b) {
    String at = b.path("services");
    Object raw = b.raw("services");
    if (!(raw instanceof List<?> list) || list.isEmpty()) {
      b.problems().add(at, "is required: a list of the Open311 service codes this CRM takes, "
          + "e.g. services: [Potholes, Street lights]");
      return List.of();
    }
    List<String> codes = new ArrayList<>();
    for (Object code : list) {
      if (code == null || code instanceof Map || code instanceof List) {
        b.problems().add(at, "must list service codes, not '" + code + "'");
      } else if (codes.contains(code.toString().strip())) {
        b.problems().add(at, "lists '" + code + "' twice");
      } else {
        codes.add(code.toString().strip());
      }
    }
    return codes;
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
