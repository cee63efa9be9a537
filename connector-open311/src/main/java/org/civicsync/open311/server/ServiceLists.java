package org.civicsync.open311.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.civicsync.core.model.Service;
import org.civicsync.core.model.ServiceDefinition;
import org.civicsync.core.sync.ServeMode;
import org.civicsync.open311.Format;

/**
 * Each jurisdiction's service list: the one it was configured with, or, where the host asked for
 * it, the CRM's {@link org.civicsync.core.spi.ServiceCatalogue} through the mapping, fetched at
 * most once per {@code ttl}. Always whole: when the CRM cannot give its list, {@code services} is
 * answered with an error (503), never with a shorter list, because FixMyStreet deletes the
 * categories a list leaves out. Other routes keep using the last whole list while the CRM fails.
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
  private final Map<String, Snapshot> configured = new LinkedHashMap<>();
  private final Map<String, Snapshot> fetched = new ConcurrentHashMap<>();

  ServiceLists(ServeMode serveMode, Clock clock, Map<String, Duration> fromCrm,
      Iterable<ServedJurisdiction> jurisdictions) {
    this.serveMode = serveMode;
    this.clock = clock;
    this.fromCrm = Map.copyOf(fromCrm);
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
    Optional<List<Service>> list;
    try {
      list = serveMode.crmServices(j.id());
    } catch (IllegalStateException e) {
      throw new ClientMistake(503, "the council's case system lists no service this endpoint"
          + " maps; refusing to answer an empty service list");
    }
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
