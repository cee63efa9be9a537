package org.civicsync.examples.connector;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.civicsync.core.model.Redaction;
import org.civicsync.core.model.Service;
import org.civicsync.core.model.ServiceType;
import org.civicsync.core.resilience.RemoteSystem;
import org.civicsync.core.resilience.Sleeper;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.core.store.SyncStore;
import org.civicsync.core.sync.FanOut;
import org.civicsync.core.sync.Jurisdiction;
import org.civicsync.core.sync.PassProgress;
import org.civicsync.core.sync.ServeMode;
import org.civicsync.core.sync.ServedOpen311;
import org.civicsync.core.sync.SyncEngine;
import org.civicsync.examples.config.BranchConfig;
import org.civicsync.examples.config.ConnectorConfig;
import org.civicsync.examples.config.JurisdictionConfig;
import org.civicsync.examples.config.PollConfig;
import org.civicsync.examples.config.ServeConfig;
import org.civicsync.open311.client.Open311Client;
import org.civicsync.open311.server.Open311Server;
import org.civicsync.open311.server.ServedJurisdiction;
import org.civicsync.open311.sync.Open311ClientSide;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A configured connector, assembled: the store opened, each jurisdiction's CRM adapter made and
 * observed; for polling jurisdictions their Open311 client and the poll-mode engine over them; for
 * serving jurisdictions one {@link ServeMode} over them all and an {@link Open311Server} per
 * jurisdiction (hosted on HTTP by {@link ConnectorRun}). Close it to release the adapters and the
 * store. Jurisdictions that do not poll are named in {@link #serveOnly()}.
 */
public final class Connector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Connector.class);

  private final ConnectorConfig config;
  private final SyncStore store;
  private final SystemCalls calls;
  private final Map<String, CrmAdapter> crms = new LinkedHashMap<>();
  private final Map<String, Open311Client> clients = new LinkedHashMap<>();
  private final Map<String, RemoteSystem> crmGuards = new LinkedHashMap<>();
  private final List<String> serveOnly = new ArrayList<>();
  private final Optional<SyncEngine> engine;
  private final Optional<ServeMode> serveMode;
  private final Map<String, Open311Server> servers = new LinkedHashMap<>();

  private Connector(ConnectorConfig config, CrmAdapterRegistry registry, Clock clock, String owner,
      PassProgress progress) {
    this.config = config;
    this.calls = new SystemCalls(clock);
    this.store = config.store().open(clock);
    try {
      SyncEngine.Builder engine = SyncEngine.builder(store).clock(clock).owner(owner)
          .progress(progress);
      boolean any = false;
      List<Jurisdiction> served = new ArrayList<>();
      for (JurisdictionConfig j : config.jurisdictions()) {
        if (j.fansOut()) {
          // Config reading allows fan-out for serve-only jurisdictions: each branch serves alone.
          for (BranchConfig b : j.fanOut()) {
            CrmAdapter crm = b.crm().create(registry);
            crms.put(b.servingId(), crm);
            RemoteSystem guard = RemoteSystem.create("crm:" + crm.name(), j.resilience().crm(),
                Sleeper.SYSTEM);
            crmGuards.put(b.servingId(), guard);
            served.add(new Jurisdiction(b.servingId(), ServedOpen311.INSTANCE,
                new ObservedCrm(crm, calls), b.mapping(), j.sync(), guard));
          }
          serveOnly.add(j.id());
          continue;
        }
        CrmAdapter crm = j.crm().create(registry);
        crms.put(j.id(), crm);
        RemoteSystem guard = RemoteSystem.create("crm:" + crm.name(), j.resilience().crm(), Sleeper.SYSTEM);
        crmGuards.put(j.id(), guard);
        if (j.serve().isPresent()) {
          served.add(new Jurisdiction(j.id(), ServedOpen311.INSTANCE, new ObservedCrm(crm, calls),
              j.mapping(), j.sync(), guard));
        }
        if (j.poll().isEmpty()) {
          serveOnly.add(j.id());
          continue;
        }
        Open311Client client = client(j.poll().get(), j, clock);
        clients.put(j.id(), client);
        PollConfig poll = j.poll().get();
        engine.jurisdiction(new Jurisdiction(j.id(),
            new ObservedOpen311Side(Open311ClientSide.create(client, poll.readsUpdates(), poll.postsUpdates()),
                "open311:" + j.id(), calls),
            new ObservedCrm(crm, calls), j.mapping(), j.sync(), guard));
        any = true;
      }
      this.engine = any ? Optional.of(engine.build()) : Optional.empty();
      this.serveMode = served.isEmpty() ? Optional.empty()
          : Optional.of(ServeMode.create(store, clock, owner, served));
      for (JurisdictionConfig j : config.jurisdictions()) {
        j.serve().ifPresent(serve -> servers.put(j.id(), server(serveMode.orElseThrow(), j, serve, clock)));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Opens the store and makes the adapters of {@code config}. */
  public static Connector open(ConnectorConfig config, CrmAdapterRegistry registry, Clock clock,
      String owner) {
    return open(config, registry, clock, owner, PassProgress.NONE);
  }

  /**
   * Opens the store and makes the adapters of {@code config}; {@code progress} hears how each
   * long poll-mode pass (a backfill) is getting on.
   */
  public static Connector open(ConnectorConfig config, CrmAdapterRegistry registry, Clock clock,
      String owner, PassProgress progress) {
    Objects.requireNonNull(config, "config == null");
    Objects.requireNonNull(registry, "registry == null");
    Objects.requireNonNull(clock, "clock == null");
    Objects.requireNonNull(owner, "owner == null");
    Objects.requireNonNull(progress, "progress == null");
    return new Connector(config, registry, clock, owner, progress);
  }

  static Open311Client client(PollConfig poll, JurisdictionConfig j, Clock clock) {
    return Open311Client.builder(poll.endpoint().toString())
        .jurisdictionId(poll.jurisdictionId().orElse(null))
        .apiKey(poll.apiKey().map(s -> s.value()).orElse(null))
        .format(poll.format())
        .connectTimeout(poll.connectTimeout())
        .readTimeout(poll.readTimeout())
        .resilience(j.resilience().open311())
        .clock(clock)
        .build();
  }

  /**
   * The endpoint of a serving jurisdiction: its service list is the mapping's service codes (or,
   * with {@code services_from_crm}, its CRM's or every branch's CRM's catalogue), each declaring
   * FixMyStreet's {@code fixmystreet_id}, so a resent report answers the same id.
   */
  static Open311Server server(ServeMode serveMode, JurisdictionConfig j, ServeConfig serve,
      Clock clock) {
    List<String> codes = j.fansOut()
        ? j.fanOut().stream().flatMap(b -> b.services().stream()).toList()
        : List.copyOf(j.mapping().services().keySet());
    List<Service> services = codes.stream()
        .map(code -> new Service(code, code, Optional.empty(), false, ServiceType.REALTIME,
            List.of(), List.of()))
        .toList();
    String host = serve.listenHost().equals("0.0.0.0") ? "127.0.0.1" : serve.listenHost();
    ServedJurisdiction served = ServedJurisdiction.withFixMyStreetIds(j.id(),
        serve.apiKey().value(),
        serve.queued() ? ServedJurisdiction.Mode.QUEUED : ServedJurisdiction.Mode.REALTIME,
        services);
    Open311Server.Builder builder = Open311Server.builder(serveMode).clock(clock)
        .baseUrl("http://" + host + ":" + serve.listenPort() + serve.path());
    if (j.fansOut()) {
      builder.fanOut(served, new FanOut(j.id(), j.fanOut().stream()
          .map(b -> new FanOut.Branch(b.prefix(), b.servingId(), Set.copyOf(b.services())))
          .toList()));
    } else {
      builder.jurisdiction(served);
    }
    if (serve.servicesFromCrm()) {
      builder.servicesFromCrm(j.id(), serve.servicesRefresh());
    }
    return builder.build();
  }

  /**
   * The serve-mode jurisdictions behind a configured one: its own id, or for a fan-out each
   * branch's {@link BranchConfig#servingId()}.
   */
  public static List<String> servingIds(JurisdictionConfig j) {
    return j.fansOut() ? j.fanOut().stream().map(BranchConfig::servingId).toList()
        : List.of(j.id());
  }

  public ConnectorConfig config() {
    return config;
  }

  public SyncStore store() {
    return store;
  }

  /** The engine; empty when no jurisdiction polls. */
  public Optional<SyncEngine> engine() {
    return engine;
  }

  public SystemCalls calls() {
    return calls;
  }

  /** Serve mode over every serving jurisdiction; empty when none serves. */
  public Optional<ServeMode> serveMode() {
    return serveMode;
  }

  /** The Open311 endpoint of each serving jurisdiction, by jurisdiction id. */
  public Map<String, Open311Server> servers() {
    return java.util.Collections.unmodifiableMap(servers);
  }

  /**
   * The CRM adapter of a jurisdiction, as the provider made it (not observed); for a fanned-out
   * jurisdiction, by a branch's {@link BranchConfig#servingId()} ({@code <jurisdiction>/<prefix>}).
   */
  public Optional<CrmAdapter> crm(String jurisdiction) {
    return Optional.ofNullable(crms.get(jurisdiction));
  }

  public Optional<Open311Client> open311(String jurisdiction) {
    return Optional.ofNullable(clients.get(jurisdiction));
  }

  /** The guard in front of a jurisdiction's CRM, for its circuit breaker's state. */
  public Optional<RemoteSystem> crmGuard(String jurisdiction) {
    return Optional.ofNullable(crmGuards.get(jurisdiction));
  }

  public List<String> serveOnly() {
    return List.copyOf(serveOnly);
  }

  @Override
  public void close() {
    crms.values().forEach(crm -> {
      try {
        crm.close();
      } catch (RuntimeException e) {
        log.warn("closing CRM {} failed: {}", crm.name(), Redaction.toString(e));
      }
    });
    if (store != null) {
      store.close();
    }
  }
}
