package org.civicsync.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code civicsync} command line: the operator's tools around the connector. */
@Command(name = "civicsync", mixinStandardHelpOptions = true, version = "civicsync 0.1.0",
    description = "Keeps citizen reports in step between a council CRM and Open311 / FixMyStreet.",
    subcommands = {DemoCommand.class, RunCommand.class, OnceCommand.class, ValidateCommand.class, StatusCommand.class,
        DeadLettersCommand.class, ProbeCommand.class})
public final class CivicSyncCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new CivicSyncCommand()).execute(args));
  }
}
