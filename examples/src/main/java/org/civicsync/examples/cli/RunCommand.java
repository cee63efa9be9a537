package org.civicsync.examples.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.examples.config.ConnectorConfig;
import org.civicsync.examples.config.JurisdictionConfig;
import org.civicsync.examples.connector.Connector;
import org.civicsync.examples.connector.PollLoop;
import org.civicsync.examples.operation.OperationEndpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code civicsync run}: polls every jurisdiction on its schedule until stopped. SIGTERM or
 * Ctrl-C lets the pass in progress finish, then closes the adapters and the store.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Sync every jurisdiction on its schedule until stopped (SIGTERM finishes the "
        + "pass in progress).", "Exit codes: 0 stopped cleanly, 1 could not start, 2 configuration errors."})
final class RunCommand implements Callable<Integer> {
  /** How long a shutdown waits for the pass in progress. */
  static final Duration GRACE = Duration.ofSeconds(60);

  @Mixin
  ConfigOption config = new ConfigOption();

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Clock clock = Clock.systemUTC();
    Optional<ConnectorConfig> read = config.read(err, clock);
    if (read.isEmpty()) {
      return ConfigOption.CONFIG_ERROR;
    }
    CountDownLatch closed = new CountDownLatch(1);
    try (Connector connector = Connector.open(read.get(), CrmAdapterRegistry.installed(), clock, owner());
         OperationEndpoint endpoint = OperationEndpoint.start(connector, read.get().operation(), clock)) {
      if (connector.engine().isEmpty()) {
        err.println("no jurisdiction polls: serve mode is not served by this build");
        err.flush();
        return 1;
      }
      Map<String, Duration> schedule = new LinkedHashMap<>();
      for (JurisdictionConfig j : read.get().jurisdictions()) {
        j.poll().ifPresent(p -> schedule.put(j.id(), p.every()));
      }
      PollLoop loop = new PollLoop(connector.engine().get(), schedule, clock, PollLoop.Pause.REAL,
          result -> {
            endpoint.passDone(result);
            out.println(PassLine.of(result));
            out.flush();
          });
      Thread hook = new Thread(() -> {
        loop.stop();
        try {
          closed.await(GRACE.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "civicsync-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      out.println("civicsync running: " + schedule.keySet() + endpoint.describe()
          + "; stop with Ctrl-C or SIGTERM");
      out.flush();
      loop.run();
      out.println("civicsync stopping: pass finished, closing the store");
      out.flush();
      return 0;
    } finally {
      closed.countDown();
    }
  }

  /**
   * This node's name in outbox claims and feed leases: the host, so that {@code once} from cron
   * takes over its own previous run's lease at once instead of waiting for it to expire. Run one
   * connector per host per store; several hosts share a PostgreSQL store.
   */
  static String owner() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = ManagementFactory.getRuntimeMXBean().getName().replaceFirst("^\\d+@", "");
    }
    return "civicsync@" + host;
  }
}
