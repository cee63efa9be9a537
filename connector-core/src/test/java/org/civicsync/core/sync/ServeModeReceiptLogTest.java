package org.civicsync.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.civicsync.core.store.H2Durability;
import org.civicsync.core.store.SyncStore;
import org.civicsync.core.store.SyncStores;
import org.junit.jupiter.api.Test;

/** Serve mode's queued intake on an H2 file store's receipt log. */
class ServeModeReceiptLogTest extends ServeModeReceiptContract {

  @Override
  SyncStore open(Path path) {
    return SyncStores.h2File(path, H2Durability.PROCESS_CRASH, clock);
  }

  @Test
  void receiptsGoToTheLogBesideTheDatabaseNotToItsTable() throws Exception {
    serve.receive(J, "fms-1", report("1"), false);

    assertThat(store.receiptLog()).hasValueSatisfying(log -> assertThat(log.size()).isOne());
    assertThat(store.receipts().oldest(J, 10)).as("the table is not used").isEmpty();
    assertThat(segments()).hasSize(1);

    serve.drain(J);

    assertThat(store.receiptLog().orElseThrow().size()).isZero();
    assertThat(store.links().findByOpen311Id(J, "fms-1")).isPresent();
  }

  private Stream<Path> segments() throws Exception {
    return Files.list(dir.resolve("serve.receipts"))
        .filter(p -> p.getFileName().toString().endsWith(".log")).toList().stream();
  }
}
