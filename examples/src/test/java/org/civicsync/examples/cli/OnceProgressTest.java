package org.civicsync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.civicsync.examples.demo.SimulatedFixMyStreet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code once} over a backfill prints progress lines while the pass runs, then its pass line. */
class OnceProgressTest {
  @TempDir
  Path dir;

  @Test
  void aBackfillPrintsProgressLinesWithCountsAndRates() throws Exception {
    try (SimulatedFixMyStreet fms = SimulatedFixMyStreet.start(Clock.systemUTC(), "unused")) {
      for (int i = 0; i < 40; i++) {
        fms.report("POT", "Pothole " + i, i + " Corn Street", 51.45, -2.59);
      }
      Path config = dir.resolve("town.yaml");
      Files.writeString(config, """
          store: { h2_file: state }
          jurisdictions:
            town:
              open311:
                poll: { endpoint: "%s", reads_updates: false, posts_updates: false, every: 1m }
              crm: { type: memory }
              mapping:
                services: { POT: Pothole }
                statuses: { crm_to_open311: { NEW: open, CLOSED: closed } }
                timezones: { crm: UTC, open311: UTC }
              sync: { backfill_from: 1d, page_size: 10, work_batch: 10 }
          """.formatted(fms.endpoint()));
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();

      int exit = new CommandLine(new CivicSyncCommand()).setOut(new PrintWriter(out))
          .setErr(new PrintWriter(err))
          .execute("once", "--config", config.toString(), "--progress-seconds", "0");

      assertThat(exit).as(err.toString()).isZero();
      java.util.List<String> progress = out.toString().lines()
          .filter(l -> l.startsWith("town: in progress for ")).toList();
      assertThat(progress).as(out.toString()).hasSizeGreaterThanOrEqualTo(8);
      // How many requests are read depends on where the backfill's one-day windows fall.
      assertThat(progress).anyMatch(l -> l.matches(".* [48]0 requests read \\(.*, 20 new, .*"));
      assertThat(progress).anyMatch(l -> l.contains("20 CRM cases created ("));
      assertThat(progress).allMatch(l -> l.matches("town: in progress for \\d+ s: \\d+ requests read "
          + "\\([0-9,]+/s\\), \\d+ new, \\d+ CRM cases created \\([0-9,]+/s\\), .* failed"));
      assertThat(out.toString()).containsPattern("town: [48]0 requests read, 40 new, 40 CRM cases created");

      StringWriter usage = new StringWriter();
      int bad = new CommandLine(new CivicSyncCommand()).setOut(new PrintWriter(usage))
          .setErr(new PrintWriter(usage))
          .execute("once", "--config", config.toString(), "--progress-seconds", "-1");
      assertThat(bad).isEqualTo(2);
      assertThat(usage.toString()).contains("--progress-seconds must be 0 or more, not -1");
    }
  }
}
