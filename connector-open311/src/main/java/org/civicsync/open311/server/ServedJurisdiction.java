package org.civicsync.open311.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.civicsync.core.model.Datatype;
import org.civicsync.core.model.Service;
import org.civicsync.core.model.ServiceAttribute;
import org.civicsync.core.model.ServiceDefinition;

/**
 * One jurisdiction as the server presents it: its {@code jurisdiction_id} (the id of its engine
 * jurisdiction), the api_key FixMyStreet must send, how creates are answered, and its complete
 * service list with definitions. The list is given whole, so it is served whole: a partial list
 * would delete categories on FixMyStreet.
 */
public record ServedJurisdiction(String id, String apiKey, Mode mode, List<Service> services,
    Map<String, ServiceDefinition> definitions) {

  /** How {@code POST requests} is answered. */
  public enum Mode {
    /** The CRM case is created before answering, and its id is the answer. */
    REALTIME,
    /** A token is answered at once; the case is created from the outbox; tokens/{token} says. */
    QUEUED
  }

  public ServedJurisdiction {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(apiKey, "apiKey == null");
    Objects.requireNonNull(mode, "mode == null");
    services = List.copyOf(services);
    definitions = Map.copyOf(definitions);
    if (apiKey.isEmpty()) {
      throw new IllegalArgumentException("apiKey must not be empty (jurisdiction " + id + ")");
    }
    for (String code : definitions.keySet()) {
      if (services.stream().noneMatch(s -> s.code().equals(code))) {
        throw new IllegalArgumentException("jurisdiction " + id + ": definition for service_code '"
            + code + "' which is not in its service list");
      }
    }
  }

  /**
   * A jurisdiction whose every service declares FixMyStreet's {@code fixmystreet_id} (server set),
   * so FixMyStreet sends its report id with each report: the key that makes resends harmless.
   */
  public static ServedJurisdiction withFixMyStreetIds(String id, String apiKey, Mode mode,
      List<Service> services) {
    Map<String, ServiceDefinition> definitions = new LinkedHashMap<>();
    ServiceAttribute fmsId = new ServiceAttribute(
        "fixmystreet_id", Datatype.STRING, Optional.empty(),
        Optional.of("FixMyStreet's report id"), 1, false, false, List.of(),
        Optional.of("server_set"));
    for (Service s : services) {
      definitions.put(s.code(), new ServiceDefinition(s.code(), List.of(fmsId)));
    }
    List<Service> withMetadata = services.stream().map(s -> new Service(s.code(), s.name(),
        s.description(), true, s.type(), s.keywords(), s.groups())).toList();
    return new ServedJurisdiction(id, apiKey, mode, withMetadata, definitions);
  }

  public Optional<Service> service(String code) {
    return services.stream().filter(s -> s.code().equals(code)).findFirst();
  }

  @Override
  public String toString() {
    return "ServedJurisdiction[" + id + ", " + mode + ", " + services.size() + " services]";
  }
}
