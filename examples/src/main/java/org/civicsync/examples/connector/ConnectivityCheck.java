package org.civicsync.examples.connector;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.civicsync.core.mapping.JurisdictionMapping;
import org.civicsync.core.model.Redaction;
import org.civicsync.core.model.Service;
import org.civicsync.core.spi.CaseLookup;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.ServiceCatalogue;
import org.civicsync.examples.config.ConnectorConfig;
import org.civicsync.examples.config.CrmConfig;
import org.civicsync.examples.config.ServeConfig;
import org.civicsync.examples.config.JurisdictionConfig;
import org.civicsync.open311.Open311ErrorResponseException;
import org.civicsync.open311.client.Open311Client;
import org.civicsync.core.spi.CrmAdapterRegistry;

/**
 * Asks each configured system one harmless question, as Camel's verifiers do, before anything
 * runs: the Open311 endpoint its {@code services}, the CRM its service list or, failing that
 * capability, a lookup of a reference no case has. Messages name the system and the failure, never
 * a secret.
 */
public final class ConnectivityCheck {
  static final String PROBE_REFERENCE = "civicsync-connectivity-check";

  /** One system's answer. */
  public record Result(String system, boolean reachable, String detail) {
    public Result {
      Objects.requireNonNull(system, "system == null");
      Objects.requireNonNull(detail, "detail == null");
    }
  }

  private ConnectivityCheck() {}

  public static List<Result> run(ConnectorConfig config, CrmAdapterRegistry registry,
      java.time.Clock clock) {
    List<Result> results = new ArrayList<>();
    for (JurisdictionConfig j : config.jurisdictions()) {
      j.poll().ifPresent(poll -> results.add(open311(j.id(),
          Connector.client(poll, j, clock), poll.endpoint().toString())));
      boolean fromCrm = j.serve().map(ServeConfig::servicesFromCrm).orElse(false);
      if (j.fansOut()) {
        j.fanOut().forEach(b -> results.add(crm(b.crm(), registry, fromCrm
            ? Optional.of(new Published(b.mapping(), Set.copyOf(b.services())))
            : Optional.empty())));
      } else {
        results.add(crm(j.crm(), registry, fromCrm
            ? Optional.of(new Published(j.mapping(), j.mapping().services().keySet()))
            : Optional.empty()));
      }
    }
    return List.copyOf(results);
  }

  private static Result open311(String jurisdiction, Open311Client client, String endpoint) {
    String system = "open311:" + jurisdiction;
    try {
      int services = client.services().size();
      return new Result(system, true, endpoint + " answered services: " + services + " services");
    } catch (Open311ErrorResponseException e) {
      return new Result(system, false, endpoint + " answered HTTP " + e.httpStatus() + " "
          + Redaction.redact(e.errors().stream().map(x -> x.code() + ": " + x.description())
              .toList().toString()));
    } catch (RuntimeException e) {
      return new Result(system, false, endpoint + " could not be asked: "
          + Redaction.describe(e, 1_000));
    }
  }

  /**
   * What {@code services_from_crm} publishes of a CRM's catalogue: the case types the mapping maps
   * to one of {@code codes}, the codes this CRM takes (for a fan-out branch, its own).
   */
  private record Published(JurisdictionMapping mapping, Set<String> codes) {
    boolean publishes(Service caseType) {
      return mapping.serviceCode(caseType.code()).filter(codes::contains).isPresent();
    }
  }

  /**
   * @param published when the jurisdiction publishes the CRM's catalogue
   *     ({@code services_from_crm}): then a catalogue with no case type it publishes fails the
   *     check, since {@code services} would answer 503 until it has one
   */
  private static Result crm(CrmConfig config, CrmAdapterRegistry registry,
      Optional<Published> published) {
    String system = "crm:" + config.name();
    try (CrmAdapter crm = config.create(registry)) {
      if (crm.capability(ServiceCatalogue.class).isPresent()) {
        List<Service> types = crm.capability(ServiceCatalogue.class).get().services();
        if (published.isEmpty()) {
          return new Result(system, true, "answered its service list: " + types.size()
              + " services");
        }
        long mapped = types.stream().filter(published.get()::publishes).count();
        return new Result(system, mapped > 0, "answered its service list: " + types.size()
            + " services, " + mapped + " of them mapped to an Open311 service_code"
            + (mapped > 0 ? " (published by services_from_crm)" : "; services_from_crm would "
                + "answer services with 503 until the mapping maps one of its case types to a"
                + " service_code this CRM takes"));
      }
      crm.capability(CaseLookup.class).orElseThrow().findByExternalReference(PROBE_REFERENCE);
      return new Result(system, true, "answered a case lookup");
    } catch (RuntimeException e) {
      return new Result(system, false, Redaction.describe(e, 1_000));
    }
  }
}
