package org.civicsync.open311.server;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.civicsync.core.sync.FanOut;

/**
 * Which serve-mode jurisdiction (which CRM) is behind a served one: itself, or, for a
 * {@link FanOut}, the branch that takes a service code or whose prefix an id carries. Ids going
 * out get the branch's prefix; ids coming in lose it.
 */
final class Backends {

  /** One CRM behind a served jurisdiction. */
  record Backend(String engine, Optional<String> prefix) {
    String outward(String localId) {
      return prefix.map(p -> p + FanOut.SEPARATOR + localId).orElse(localId);
    }
  }

  /** An id from FixMyStreet, routed: the backend and its own id. */
  record Inward(Backend backend, String localId) {}

  private final Map<String, FanOut> fanOuts;

  Backends(Map<String, FanOut> fanOuts) {
    this.fanOuts = Map.copyOf(fanOuts);
  }

  boolean isFanOut(String servedId) {
    return fanOuts.containsKey(servedId);
  }

  /** The fan-out behind {@code j}; empty when one CRM serves it. */
  Optional<FanOut> fanOut(ServedJurisdiction j) {
    return Optional.ofNullable(fanOuts.get(j.id()));
  }

  List<Backend> all(ServedJurisdiction j) {
    FanOut fan = fanOuts.get(j.id());
    if (fan == null) {
      return List.of(new Backend(j.id(), Optional.empty()));
    }
    return fan.branches().stream().map(Backends::backend).toList();
  }

  Backend forService(ServedJurisdiction j, String serviceCode) {
    FanOut fan = fanOuts.get(j.id());
    if (fan == null) {
      return new Backend(j.id(), Optional.empty());
    }
    return fan.forService(serviceCode).map(Backends::backend).orElseThrow(() ->
        ClientMistake.notFound("service_code '" + Open311Server.clip(serviceCode)
            + "' is not a service of jurisdiction " + j.id()));
  }

  /** Empty for an id of a fan-out that carries no known prefix: no such request. */
  Optional<Inward> inward(ServedJurisdiction j, String servedId) {
    FanOut fan = fanOuts.get(j.id());
    if (fan == null) {
      return Optional.of(new Inward(new Backend(j.id(), Optional.empty()), servedId));
    }
    return fan.route(servedId).map(r -> new Inward(backend(r.branch()), r.localId()));
  }

  private static Backend backend(FanOut.Branch b) {
    return new Backend(b.jurisdiction(), Optional.of(b.prefix()));
  }
}
