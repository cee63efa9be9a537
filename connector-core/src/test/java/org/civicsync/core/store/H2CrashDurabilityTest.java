package org.civicsync.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real JVM that is writing to an H2 file store (SIGKILL, no shutdown hooks, no close) and
 * checks that every item it acknowledged is there after reopening.
 *
 * <p>This proves survival of a process crash. It cannot prove survival of a power cut: kill -9
 * leaves the operating system's page cache intact, and H2 does not fsync on commit
 * ({@link H2Durability#POWER_LOSS} adds that).
 */
class H2CrashDurabilityTest {

  private static final int ACKS_BEFORE_KILL = 400;

  @TempDir
  Path dir;

  @Test
  void everyAcknowledgedEnqueueSurvivesKillMinus9() throws Exception {
    Path db = dir.resolve("crash");
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    Process child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath, EnqueueUntilKilled.class.getName(), db.toString())
        .redirectError(dir.resolve("child.err").toFile())
        .start();
    List<String> acked = new ArrayList<>();
    long firstAck = 0;
    long lastAck = 0;
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          acked.add(line.substring(4));
          lastAck = System.nanoTime();
          if (firstAck == 0) {
            firstAck = lastAck;
          }
          if (acked.size() == ACKS_BEFORE_KILL) {
            // SIGKILL on Linux. Through the ProcessHandle: Process.destroyForcibly() also closes
            // our end of the pipe, and the ACKs still in it must be read.
            assertThat(child.toHandle().destroyForcibly()).isTrue();
          }
        }
      }
      // Lines already in the pipe when the child died were acknowledged too: they count.
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(acked).as("child output, see " + dir.resolve("child.err"))
        .hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    double seconds = (lastAck - firstAck) / 1e9;
    System.out.printf("child acknowledged %d commits in %.2f s: %.0f durable commits/s"
        + " (single row, one JVM thread, including stdout)%n",
        acked.size(), seconds, (acked.size() - 1) / seconds);

    try (SyncStore reopened = SyncStores.h2File(db, H2Durability.PROCESS_CRASH,
        Clock.systemUTC())) {
      List<String> missing = new ArrayList<>();
      for (String key : acked) {
        if (reopened.outbox().findByKey("crash", key).isEmpty()) {
          missing.add(key);
        }
      }
      assertThat(missing).as("acknowledged but lost").isEmpty();
      long stored = reopened.outbox().counts("crash").get(OutboxState.PENDING);
      // At most the one commit that finished before its ACK line was printed.
      assertThat(stored).isBetween((long) acked.size(), (long) acked.size() + 1);
    }
    assertThat(new File(dir.toFile(), "crash.mv.db")).exists();
  }
}
