package org.civicsync.open311.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.civicsync.core.model.Service;
import org.civicsync.core.model.ServiceDefinition;
import org.civicsync.core.sync.FanOut;
import org.civicsync.core.sync.ServeMode;
import org.civicsync.open311.Format;

/**
 * Each jurisdiction's service list: the one it was configured with, or, where the host asked for
 * it, the CRM's {@link org.civicsync.core.spi.ServiceCatalogue} through the mapping, fetched at
 * most once per {@code ttl}. Always whole: when the CRM cannot give its list, {@code services} is
 * answered with an error (503), never with a shorter list, because FixMyStreet deletes the
 * categories a list leaves out. Other routes keep using the last whole list while the CRM fails.
 * A fanned-out jurisdiction's list is the union of its branches' catalogues, each branch offering
 * only the codes routed to it, and is whole only when every branch answers.
 */
final class ServiceLists {

  /** One whole list, its definitions, and its documents rendered once. */
  record Snapshot(List<Service> services, Map<String, ServiceDefinition> definitions,
      Map<Format, byte[]> rendered, Instant fetched) {

    static Snapshot of(ServedJurisdiction j, Instant fetched) {
      Map<Format, byte[]> rendered = new EnumMap<>(Format.class);
      for (Format f : Format.values()) {
        rendered.put(f, Open311Documents.services(f, j.services()));
      }
      return new Snapshot(j.services(), j.definitions(), rendered, fetched);
    }

    Optional<Service> service(String code) {
      return services.stream().filter(s -> s.code().equals(code)).findFirst();
    }

    Optional<ServiceDefinition> definition(String code) {
      return Optional.ofNullable(definitions.get(code));
    }
  }

  private final ServeMode serveMode;
  private final Clock clock;
  /** Jurisdictions listed from their CRM, each with how long a fetched list is kept. */
  private final Map<String, Duration> fromCrm;
  private final Backends backends;
  private final Map<String, Snapshot> configured = new LinkedHashMap<>();
  private final Map<String, Snapshot> fetched = new ConcurrentHashMap<>();

  ServiceLists(ServeMode serveMode, Clock clock, Map<String, Duration> fromCrm, Backends backends,
      Iterable<ServedJurisdiction> jurisdictions) {
    this.serveMode = serveMode;
    this.clock = clock;
    this.fromCrm = Map.copyOf(fromCrm);
    this.backends = backends;
    for (ServedJurisdiction j : jurisdictions) {
      configured.put(j.id(), Snapshot.of(j, Instant.EPOCH));
    }
  }

  /** The list to answer {@code services} with: fresh, or an error; never partial. */
  Snapshot current(ServedJurisdiction j) {
    Duration ttl = fromCrm.get(j.id());
    if (ttl == null) {
      return configured.get(j.id());
    }
    Snapshot last = fetched.get(j.id());
    if (last != null && clock.instant().isBefore(last.fetched().plus(ttl))) {
      return last;
    }
    Optional<FanOut> fan = backends.fanOut(j);
    Optional<List<Service>> list = fan.isPresent() ? union(j, fan.get()) : catalogue(j.id(), "");
    if (list.isEmpty()) {
      return configured.get(j.id());
    }
    Snapshot snapshot = Snapshot.of(withDefinitions(j, list.get()), clock.instant());
    fetched.put(j.id(), snapshot);
    return snapshot;
  }

  /** The last whole list, for routes other than {@code services}; fetched if there is none. */
  Snapshot known(ServedJurisdiction j) {
    Snapshot last = fetched.get(j.id());
    if (last == null || !fromCrm.containsKey(j.id())) {
      return current(j);
    }
    try {
      return current(j);
    } catch (RuntimeException e) {
      return last;
    }
  }

  /** One CRM's mapped catalogue; one mapping nothing is a 503, never an empty list. */
  private Optional<List<Service>> catalogue(String engine, String whose) {
    try {
      return serveMode.crmServices(engine);
    } catch (IllegalStateException e) {
      throw new ClientMistake(503, "the council's case system" + whose + " lists no service"
          + " this endpoint maps; refusing to answer an empty service list");
    }
  }

  /**
   * A fan-out's list: its branches' catalogues, in branch order, each branch offering only the
   * codes it owns ({@link FanOut.Branch#serviceCodes()}, which POSTs are routed by). A code a
   * CRM lists that its branch does not own would send reports to another CRM, or to none, so it
   * is left out; owners are disjoint, so no two branches offer one code. Whole or not at all: a
   * branch whose CRM fails (thrown) or offers none of its codes is a 503, since the others' list
   * alone would delete its categories on FixMyStreet. A branch whose CRM has no catalogue offers
   * its configured services; empty when no branch has one, so the configured list is served.
   */
  private Optional<List<Service>> union(ServedJurisdiction j, FanOut fan) {
    List<Service> union = new ArrayList<>();
    boolean listed = false;
    for (FanOut.Branch branch : fan.branches()) {
      Optional<List<Service>> catalogue =
          catalogue(branch.jurisdiction(), " behind '" + branch.prefix() + "'");
      List<Service> owned = catalogue.orElse(j.services()).stream()
          .filter(s -> branch.serviceCodes().contains(s.code())).toList();
      if (catalogue.isPresent() && owned.isEmpty()) {
        throw new ClientMistake(503, "the council's case system behind '" + branch.prefix()
            + "' lists none of its services " + new TreeSet<>(branch.serviceCodes())
            + "; refusing to answer a service list without them");
      }
      listed |= catalogue.isPresent();
      union.addAll(owned);
    }
    return listed ? Optional.of(List.copyOf(union)) : Optional.empty();
  }

  /**
   * The CRM's services, each declaring {@code fixmystreet_id} (the idempotency key) unless the
   * jurisdiction configured a definition for that code.
   */
  private static ServedJurisdiction withDefinitions(ServedJurisdiction j, List<Service> list) {
    ServedJurisdiction withIds =
        ServedJurisdiction.withFixMyStreetIds(j.id(), j.apiKey(), j.mode(), list);
    Map<String, ServiceDefinition> definitions = new LinkedHashMap<>(withIds.definitions());
    j.definitions().forEach((code, d) -> definitions.computeIfPresent(code, (c, old) -> d));
    return new ServedJurisdiction(j.id(), j.apiKey(), j.mode(), withIds.services(), definitions);
  }
}
