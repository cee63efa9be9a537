package org.civicsync.examples.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.examples.config.ConnectorConfig;
import org.civicsync.examples.connector.Connector;
import org.civicsync.examples.connector.ConnectorRun;
import org.civicsync.examples.connector.PollLoop;
import org.civicsync.examples.operation.OperationEndpoint;
import org.civicsync.examples.server.JettyOpen311Host;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code civicsync run}: polls every polling jurisdiction on its schedule and serves every serving
 * one (embedded Jetty, its background work on the same schedule) until stopped. SIGTERM or Ctrl-C
 * lets the pass in progress finish, stops the Open311 server after its requests in flight, then
 * closes the adapters and the store.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Sync every jurisdiction on its schedule, and serve those configured to serve, "
        + "until stopped (SIGTERM finishes the pass and the requests in progress).", "Exit codes: 0 stopped cleanly, 1 could not start, 2 configuration errors."})
final class RunCommand implements Callable<Integer> {
  /** How long a shutdown waits for the pass in progress. */
  static final Duration GRACE = Duration.ofSeconds(60);

  @Mixin
  ConfigOption config = new ConfigOption();

  @Spec
  CommandSpec spec;

  @picocli.CommandLine.Option(names = "--progress-seconds", defaultValue = "5", paramLabel = "<s>",
      description = "While a pass runs longer (a backfill), print its progress every <s> seconds "
          + "(0: after every page and batch). Default: ${DEFAULT-VALUE}.")
  long progressSeconds = 5;

  Duration progressEvery() {
    if (progressSeconds < 0) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--progress-seconds must be 0 or more, not " + progressSeconds);
    }
    return Duration.ofSeconds(progressSeconds);
  }

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
    try (Connector connector = Connector.open(read.get(), CrmAdapterRegistry.installed(), clock, owner(),
             PassLine.printer(out, progressEvery()));
         OperationEndpoint endpoint = OperationEndpoint.start(connector, read.get().operation(), clock)) {
      ConnectorRun run;
      try {
        run = ConnectorRun.start(connector, clock, PollLoop.Pause.REAL, result -> {
          endpoint.passDone(result);
          // Serve mode's background work runs every few seconds: print it only when it did something.
          if (!connector.servers().containsKey(result.jurisdiction()) || !idle(result)) {
            out.println(PassLine.of(result));
            out.flush();
          }
        }, JettyOpen311Host.STOP_TIMEOUT);
      } catch (IllegalStateException e) {
        err.println(e.getMessage());
        err.flush();
        return 1;
      } catch (Exception e) {
        err.println("could not start serving: " + e);
        err.flush();
        return 1;
      }
      try (run) {
        Thread hook = new Thread(() -> {
          run.stop();
          try {
            closed.await(GRACE.toSeconds(), TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }, "civicsync-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("civicsync running: " + run.schedule().keySet()
            + run.urls().entrySet().stream().map(e -> "; serving " + e.getKey() + " at " + e.getValue())
                .collect(java.util.stream.Collectors.joining())
            + endpoint.describe() + "; stop with Ctrl-C or SIGTERM");
        out.flush();
        run.run();
        out.println("civicsync stopping: pass finished, stopping the Open311 server after the "
            + "requests in flight, closing the store");
        out.flush();
      }
      return 0;
    } finally {
      closed.countDown();
    }
  }

  private static boolean idle(org.civicsync.core.sync.PassResult r) {
    return r.equals(new org.civicsync.core.sync.PassResult(r.jurisdiction(), 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0));
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
