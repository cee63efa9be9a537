package org.civicsync.examples.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.core.sync.PassResult;
import org.civicsync.examples.config.ConnectorConfig;
import org.civicsync.examples.connector.Connector;
import org.civicsync.examples.connector.LogContext;
import org.civicsync.examples.connector.SystemCalls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code civicsync once}: one pass over every jurisdiction, for cron. */
@Command(name = "once", mixinStandardHelpOptions = true,
    description = {"Run one sync pass over every jurisdiction, then exit (for cron).",
        "Exit codes: 0 every call succeeded, 1 a call to a system or a work item failed "
            + "(it is retried on the next pass), 2 configuration errors."})
final class OnceCommand implements Callable<Integer> {
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
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Clock clock = Clock.systemUTC();
    Optional<ConnectorConfig> read = config.read(err, clock);
    if (read.isEmpty()) {
      return ConfigOption.CONFIG_ERROR;
    }
    try (Connector connector = Connector.open(read.get(), CrmAdapterRegistry.installed(), clock,
        RunCommand.owner(),
        PassLine.printer(out, progressEvery()))) {
      if (connector.engine().isEmpty()) {
        err.println("no jurisdiction polls: serve mode is served by `civicsync run`, not `once`");
        err.flush();
        return 1;
      }
      connector.serveOnly().forEach(id -> err.println(
          "note: " + id + " is served by `civicsync run`, not `once`: skipped"));
      List<PassResult> results = new java.util.ArrayList<>();
      for (String id : connector.engine().get().jurisdictions().keySet()) {
        try (LogContext j = LogContext.put("jurisdiction", id)) {
          results.add(connector.engine().get().runOnce(id));
        }
      }
      results.forEach(r -> out.println(PassLine.of(r)));
      boolean workFailed = results.stream().anyMatch(r -> r.workFailed() > 0);
      connector.calls().totals().forEach((system, totals) -> {
        if (totals.failures() > 0) {
          err.println("FAILED  " + system + ": " + totals.failures() + " of " + totals.calls()
              + " calls failed, last " + totals.lastError().orElse("?"));
        }
      });
      out.flush();
      err.flush();
      SystemCalls calls = connector.calls();
      return workFailed || calls.failures() > 0 ? 1 : 0;
    }
  }
}
