package org.civicsync.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.civicsync.core.store.H2Durability;
import org.civicsync.core.store.ReceiptLog;
import org.civicsync.core.store.SyncStore;
import org.civicsync.core.store.SyncStores;
import org.civicsync.core.testing.DelegatingSyncStore;
import org.junit.jupiter.api.Test;

/**
 * Serve mode's queued intake on the receipt table, as a store without a receipt log (PostgreSQL)
 * has it; here an H2 file store with its log hidden.
 */
class ServeModeReceiptTableTest extends ServeModeReceiptContract {

  @Override
  SyncStore open(Path path) {
    return new DelegatingSyncStore(SyncStores.h2File(path, H2Durability.PROCESS_CRASH, clock)) {
      @Override
      public Optional<ReceiptLog> receiptLog() {
        return Optional.empty();
      }
    };
  }

  @Test
  void receiptsAreRowsOfTheTableAndNoLogIsMade() {
    serve.receive(J, "fms-1", report("1"), false);

    assertThat(store.receipts().oldest(J, 10)).hasSize(1);
    assertThat(Files.exists(dir.resolve("serve.receipts"))).isFalse();
  }
}
