package org.civicsync.examples.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.civicsync.core.store.LinkCounts;
import org.civicsync.core.store.OutboxState;
import org.civicsync.core.store.StoredCursor;
import org.civicsync.core.store.SyncStore;
import org.civicsync.core.sync.SyncEngine;
import org.civicsync.examples.config.ConnectorConfig;
import org.civicsync.examples.config.JurisdictionConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code civicsync status}: per jurisdiction, from the store alone (no system is called): links
 * open and complete, the outbox by state, when each feed was last read, and the lag since.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show each jurisdiction's links, outbox and last successful polls, from the store.",
        "Exit codes: 0 shown, 2 configuration errors."})
final class StatusCommand implements Callable<Integer> {
  static final String[] FEEDS = {"open311-requests", "open311-updates", "crm-changes"};

  @Mixin
  ConfigOption config = new ConfigOption();

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Clock clock = Clock.systemUTC();
    Optional<ConnectorConfig> read = config.read(spec.commandLine().getErr(), clock);
    if (read.isEmpty()) {
      return ConfigOption.CONFIG_ERROR;
    }
    try (SyncStore store = read.get().store().open(clock)) {
      Instant now = clock.instant();
      for (JurisdictionConfig j : read.get().jurisdictions()) {
        // A fanned-out jurisdiction keeps its state per branch (<jurisdiction>/<prefix>).
        for (String id : org.civicsync.examples.connector.Connector.servingIds(j)) {
          print(out, store, id, now);
        }
      }
    }
    out.flush();
    return 0;
  }

  static void print(PrintWriter out, SyncStore store, String j, Instant now) {
    LinkCounts links = store.links().counts(j);
    Map<OutboxState, Long> outbox = store.outbox().counts(j);
    out.println(j + ":");
    out.println("  links:  " + links.open() + " open, " + links.complete() + " complete");
    out.println("  outbox: " + outbox.get(OutboxState.PENDING) + " pending, "
        + outbox.get(OutboxState.IN_FLIGHT) + " in flight, " + outbox.get(OutboxState.UNKNOWN)
        + " unknown, " + outbox.get(OutboxState.DEAD) + " dead, " + outbox.get(OutboxState.DONE) + " done");
    Optional<Instant> latest = Optional.empty();
    for (String feed : FEEDS) {
      Optional<StoredCursor> cursor = store.cursors().get(feed + ":" + j);
      out.println("  " + feed + ": " + cursor.map(c -> "last recorded " + c.updated()
          + " (" + ago(Duration.between(c.updated(), now)) + " ago)").orElse("never read"));
      if (cursor.isPresent() && latest.map(l -> l.isBefore(cursor.get().updated())).orElse(true)) {
        latest = Optional.of(cursor.get().updated());
      }
    }
    // A feed's cursor moves only when something new was read; the engine records each poll whose
    // reads all succeeded, so a quiet endpoint shows no lag and a failing one does.
    Optional<Instant> polled = store.cursors().get(SyncEngine.polledCursor(j)).map(StoredCursor::updated);
    out.println("  last successful poll: " + polled.map(p -> p + " (" + ago(Duration.between(p, now))
        + " ago)").orElse("none recorded"));
    if (polled.isPresent()) {
      out.println("  lag:    " + ago(Duration.between(polled.get(), now)) + " since the last successful poll");
    } else {
      out.println("  lag:    " + latest.map(l -> ago(Duration.between(l, now)) + " since a feed last "
          + "recorded something new").orElse("no poll recorded yet"));
    }
  }

  static String ago(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 120) {
      return s + " s";
    }
    if (s < 7_200) {
      return s / 60 + " min";
    }
    return s < 172_800 ? s / 3600 + " h" : s / 86_400 + " d";
  }
}
