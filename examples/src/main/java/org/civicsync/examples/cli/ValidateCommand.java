package org.civicsync.examples.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.examples.config.ConnectorConfig;
import org.civicsync.examples.connector.ConnectivityCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code civicsync validate}: every configuration error at once, then each system asked once. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = {"Check a configuration file (every error at once) and that each system answers.",
        "Exit codes: 0 valid and reachable, 2 configuration errors, 3 a system did not answer."})
final class ValidateCommand implements Callable<Integer> {
  @Mixin
  ConfigOption config = new ConfigOption();

  @Option(names = "--no-connect", description = "Check the file only; ask no system")
  boolean noConnect;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<ConnectorConfig> read = config.read(err, Clock.systemUTC());
    if (read.isEmpty()) {
      return ConfigOption.CONFIG_ERROR;
    }
    ConnectorConfig c = read.get();
    out.println(config.file + ": valid; store " + describe(c) + "; jurisdictions "
        + c.jurisdictions().stream().map(j -> j.id()
            + (j.poll().isPresent() ? " (poll" + (j.serve().isPresent() ? ", serve" : "") + ")" : " (serve)")
            + (j.fansOut() ? " fanned out to CRMs " + j.fanOut().stream()
                .map(b -> b.crm().name() + " [" + b.crm().type() + "]").toList()
                : " with CRM " + j.crm().name() + " [" + j.crm().type() + "]")).toList());
    c.jurisdictions().stream().filter(j -> j.serve().isPresent()).forEach(j -> {
      List<String> lines = j.servingDescription();
      out.println("note: " + lines.get(0)
          + (j.poll().isPresent() ? " (but run does not yet support polling and serving one "
              + "jurisdiction: configure one of the two)" : ""));
      lines.subList(1, lines.size()).forEach(out::println);
    });
    if (noConnect) {
      out.flush();
      return 0;
    }
    List<ConnectivityCheck.Result> results =
        ConnectivityCheck.run(c, CrmAdapterRegistry.installed(), Clock.systemUTC());
    boolean allReachable = true;
    for (ConnectivityCheck.Result r : results) {
      (r.reachable() ? out : err).println((r.reachable() ? "ok      " : "FAILED  ") + r.system()
          + ": " + r.detail());
      allReachable &= r.reachable();
    }
    out.flush();
    err.flush();
    return allReachable ? 0 : 3;
  }

  static String describe(ConnectorConfig c) {
    return c.store().toString();
  }
}
