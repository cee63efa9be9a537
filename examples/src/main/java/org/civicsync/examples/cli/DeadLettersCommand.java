package org.civicsync.examples.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.civicsync.core.model.Redaction;
import org.civicsync.core.store.OutboxItem;
import org.civicsync.core.store.SyncStore;
import org.civicsync.examples.config.ConnectorConfig;
import org.civicsync.examples.config.JurisdictionConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code civicsync dead-letters list|replay}: the work items that gave up, and putting one back.
 * Lists show the kind, key, attempts and last error, never the payload (it holds the citizen's
 * report).
 */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
    description = "List work items that gave up (DEAD), or replay one.",
    subcommands = {DeadLettersCommand.ListDead.class, DeadLettersCommand.Replay.class})
final class DeadLettersCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = {"List DEAD work items of every (or one) jurisdiction.",
          "Exit codes: 0 none, 1 some are dead, 2 configuration errors."})
  static final class ListDead implements Callable<Integer> {
    @Mixin
    ConfigOption config = new ConfigOption();

    @Option(names = "--jurisdiction", description = "Only this jurisdiction")
    String jurisdiction;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Optional<ConnectorConfig> read = config.read(spec.commandLine().getErr(), Clock.systemUTC());
      if (read.isEmpty()) {
        return ConfigOption.CONFIG_ERROR;
      }
      int dead = 0;
      try (SyncStore store = read.get().store().open(Clock.systemUTC())) {
        for (JurisdictionConfig j : read.get().jurisdictions()) {
          // A fanned-out jurisdiction keeps its outbox per branch (<jurisdiction>/<prefix>).
          for (String id : org.civicsync.examples.connector.Connector.servingIds(j)) {
            if (jurisdiction != null && !jurisdiction.equals(j.id()) && !jurisdiction.equals(id)) {
              continue;
            }
            List<OutboxItem> items = store.outbox().listDead(id);
            out.println(id + ": " + items.size() + " dead");
            for (OutboxItem item : items) {
              out.println("  id " + item.id() + "  " + item.kind() + "  " + item.idempotencyKey()
                  + "  attempts " + item.attempts() + "  last error: "
                  // Masked again: rows stored before errors were masked may still hold some.
                  + item.lastError().map(Redaction::redact).orElse("(none)"));
            }
            dead += items.size();
          }
        }
      }
      out.flush();
      return dead == 0 ? 0 : 1;
    }
  }

  @Command(name = "replay", mixinStandardHelpOptions = true,
      description = {"Make a DEAD work item pending again, due now, with its attempts reset.",
          "Exit codes: 0 replayed, 1 no DEAD item with that id, 2 configuration errors."})
  static final class Replay implements Callable<Integer> {
    @Mixin
    ConfigOption config = new ConfigOption();

    @Option(names = "--id", required = true, description = "The work item's id, from 'dead-letters list'")
    long id;

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
      try (SyncStore store = read.get().store().open(Clock.systemUTC())) {
        if (store.outbox().replay(id)) {
          out.println("work item " + id + " is pending again; the next pass works it");
          out.flush();
          return 0;
        }
        err.println("work item " + id + " is not DEAD (or does not exist): see 'dead-letters list'");
        err.flush();
        return 1;
      }
    }
  }
}
