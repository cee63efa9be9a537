package org.civicsync.examples.cli;

import java.time.Clock;
import java.util.concurrent.Callable;
import org.civicsync.examples.demo.Demo;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code civicsync demo}: the whole bridge on this machine, no set-up. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run a self-contained demo: simulated FixMyStreet over HTTP on loopback, "
        + "simulated ServiceNow (Table API) over HTTP, temporary H2 store.", "Exit codes: 0 every step worked, 1 otherwise."})
final class DemoCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    // The engine's per-pass INFO lines would drown the story; the narrative says what happened.
    // -Dcivicsync.log.level=INFO (or DEBUG) shows them alongside.
    if (System.getProperty("civicsync.log.level") == null
        && LoggerFactory.getLogger("org.civicsync") instanceof ch.qos.logback.classic.Logger civicsync) {
      civicsync.setLevel(ch.qos.logback.classic.Level.WARN);
    }
    return new Demo(spec.commandLine().getOut(), Clock.systemUTC()).run().succeeded() ? 0 : 1;
  }
}
