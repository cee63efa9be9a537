package org.civicsync.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceiptLogTest {
  private static final String J = "council.example";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2024-05-01T09:00:00.123456789Z"), ZoneOffset.UTC);

  @TempDir Path dir;
  private final List<ReceiptLog> opened = new ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(ReceiptLog::close);
  }

  @Test
  void whatWasKeptComesBackAfterAReopenFieldForFieldAndDrainedReceiptsDoNot() {
    ReceiptLog log = open(1 << 20);
    assertThat(keep(log, "fms-1")).isEqualTo(ReceiptLog.Kept.NEW);
    assertThat(log.keep(J, "fms-2", "v2", Optional.empty(), "{\"description\":\"café ✓\"}",
        () -> false)).isEqualTo(ReceiptLog.Kept.NEW);
    assertThat(keep(log, "fms-3")).isEqualTo(ReceiptLog.Kept.NEW);
    log.drained(List.of(log.pending(J, "fms-3").orElseThrow()));
    log.close();

    ReceiptLog again = open(1 << 20);

    assertThat(again.oldest(J, 10)).extracting(Receipt::key).containsExactly("fms-1", "fms-2");
    Receipt second = again.pending(J, "fms-2").orElseThrow();
    assertThat(second.version()).isEqualTo("v2");
    assertThat(second.fixMyStreetId()).isEmpty();
    assertThat(second.payload()).isEqualTo("{\"description\":\"café ✓\"}");
    assertThat(second.received()).isEqualTo(CLOCK.instant());
    assertThat(again.pending(J, "fms-1").orElseThrow().fixMyStreetId()).hasValue("fms-1-id");
    assertThat(keep(again, "fms-1")).as("still pending after the restart")
        .isEqualTo(ReceiptLog.Kept.PENDING);
    assertThat(keep(again, "fms-4")).isEqualTo(ReceiptLog.Kept.NEW);
    assertThat(again.pending(J, "fms-4").orElseThrow().id())
        .as("ids go on past those read back").isGreaterThan(second.id());
  }

  @Test
  void aKeyAlreadyLinkedIsNotAppendedAndAResendOfAPendingOneIsNot() {
    ReceiptLog log = open(1 << 20);

    assertThat(log.keep(J, "fms-1", "v", Optional.empty(), "{}", () -> true))
        .isEqualTo(ReceiptLog.Kept.LINKED);
    assertThat(log.size()).isZero();
    assertThat(keep(log, "fms-1")).isEqualTo(ReceiptLog.Kept.NEW);
    AtomicInteger asked = new AtomicInteger();
    assertThat(log.keep(J, "fms-1", "v", Optional.empty(), "{}", () -> asked.incrementAndGet() > 0))
        .isEqualTo(ReceiptLog.Kept.PENDING);
    assertThat(asked).as("a pending key needs no link lookup").hasValue(0);
    assertThat(log.keep("other.example", "fms-1", "v", Optional.empty(), "{}", () -> false))
        .as("keys are per jurisdiction").isEqualTo(ReceiptLog.Kept.NEW);
    assertThat(log.size()).isEqualTo(2);
  }

  @Test
  void concurrentReceivesOfOneKeyAppendItOnce() throws Exception {
    ReceiptLog log = open(1 << 20);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<ReceiptLog.Kept>> sameKey = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        sameKey.add(pool.submit(() -> {
          go.await();
          return keep(log, "fms-same");
        }));
      }
      List<Future<ReceiptLog.Kept>> others = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        String key = "fms-" + i;
        others.add(pool.submit(() -> {
          go.await();
          return keep(log, key);
        }));
      }
      go.countDown();
      int fresh = 0;
      for (Future<ReceiptLog.Kept> f : sameKey) {
        fresh += f.get(30, TimeUnit.SECONDS) == ReceiptLog.Kept.NEW ? 1 : 0;
      }
      for (Future<ReceiptLog.Kept> f : others) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(ReceiptLog.Kept.NEW);
      }
      assertThat(fresh).as("one of the eight received it first").isOne();
    } finally {
      pool.shutdownNow();
    }
    assertThat(log.size()).isEqualTo(401);
    assertThat(log.stats().appends()).isEqualTo(401);
    assertThat(log.stats().writes()).isBetween(1L, 401L);
    log.close();
    assertThat(open(1 << 20).size()).as("all of them written").isEqualTo(401);
  }

  @Test
  void segmentsRollAndAreDeletedOnceEverythingInThemIsDrained() throws Exception {
    ReceiptLog log = open(600); // a few records per segment
    for (int i = 0; i < 30; i++) {
      keep(log, "fms-" + i);
    }
    long before = segments().count();
    assertThat(before).isGreaterThan(3);

    log.drained(log.oldest(J, 20));

    assertThat(segments().count()).as("segments holding only drained receipts are gone")
        .isLessThan(before);
    log.close();
    ReceiptLog again = open(600);
    assertThat(again.oldest(J, 100)).extracting(Receipt::key)
        .containsExactlyElementsOf(keys(20, 30));
    again.drained(again.oldest(J, 100));
    assertThat(again.size()).isZero();
    assertThat(segments().count()).as("only the segment being written is left").isOne();
  }

  @Test
  void aTornRecordAtTheEndIsCutAndTheRestKept() throws Exception {
    ReceiptLog log = open(1 << 20);
    keep(log, "fms-1");
    keep(log, "fms-2");
    log.close();
    Path newest = segments().max(Path::compareTo).orElseThrow();
    long whole = Files.size(newest);
    truncate(newest, whole - 5); // the process died inside the second record's write

    ReceiptLog again = open(1 << 20);

    assertThat(again.oldest(J, 10)).extracting(Receipt::key).containsExactly("fms-1");
    assertThat(Files.size(newest)).as("cut back to the last whole record").isLessThan(whole - 5);
    assertThat(keep(again, "fms-2")).isEqualTo(ReceiptLog.Kept.NEW);
    again.close();
    assertThat(open(1 << 20).oldest(J, 10)).extracting(Receipt::key)
        .containsExactly("fms-1", "fms-2");
  }

  @Test
  void damageBeforeTheEndIsRefusedNamingTheFileAndOffset() throws Exception {
    ReceiptLog log = open(1 << 20);
    keep(log, "fms-1");
    log.close();
    open(1 << 20).close(); // the first segment is now an older one, a newer one follows
    Path older = segments().min(Path::compareTo).orElseThrow();
    try (FileChannel channel = FileChannel.open(older, StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(new byte[] {0x7f}), 20);
    }

    assertThatThrownBy(() -> open(1 << 20))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(older.getFileName().toString())
        .hasMessageContaining("offset 0")
        .hasMessageContaining("checksum");
  }

  @Test
  void aSecondOwnerIsRefused() {
    open(1 << 20);

    assertThatThrownBy(() -> ReceiptLog.open(dir, H2Durability.PROCESS_CRASH, CLOCK))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("one owner");
  }

  @Test
  void withPowerLossDurabilityRecordsAreForcedAndStillReadBack() {
    ReceiptLog log = ReceiptLog.open(dir, H2Durability.POWER_LOSS, CLOCK);
    opened.add(log);
    keep(log, "fms-1");
    log.close();

    assertThat(open(1 << 20).oldest(J, 10)).extracting(Receipt::key).containsExactly("fms-1");
  }

  private ReceiptLog open(long segmentBytes) {
    ReceiptLog log = ReceiptLog.open(dir, H2Durability.PROCESS_CRASH, CLOCK, segmentBytes);
    opened.add(log);
    return log;
  }

  private static ReceiptLog.Kept keep(ReceiptLog log, String key) {
    return log.keep(J, key, "v1", Optional.of(key + "-id"),
        "{\"service_code\":\"POT\",\"description\":\"Pothole " + key + "\"}", () -> false);
  }

  private Stream<Path> segments() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".log")).toList().stream();
    }
  }

  private static List<String> keys(int from, int to) {
    List<String> keys = new ArrayList<>();
    for (int i = from; i < to; i++) {
      keys.add("fms-" + i);
    }
    return keys;
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size);
    }
  }
}
