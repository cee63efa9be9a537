package org.civicsync.core.store;

import org.civicsync.core.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on an H2 file, plus H2's own durability setting. */
class H2SyncStoreTest extends SyncStoreContractTest {

  @TempDir
  Path dir;

  private Path file() {
    return dir.resolve("state");
  }

  @Override
  SyncStore open(MutableClock clock) {
    return SyncStores.h2File(file(), H2Durability.PROCESS_CRASH, clock);
  }

  @Override
  SyncStore openSecond(MutableClock clock) {
    return SyncStores.h2File(file(), H2Durability.PROCESS_CRASH, clock);
  }

  @Override
  Connection rawConnection() throws SQLException {
    return DriverManager.getConnection("jdbc:h2:file:" + file().toAbsolutePath()
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "sa", "");
  }

  @Override
  String explainPrefix() {
    return "EXPLAIN ";
  }

  @Override
  void assertWindowPlanUsesIndex(String plan) {
    // H2 names the index it scans and the bounds of the range; no table scan, no sort.
    assertThat(plan).contains("journal_window_ix").contains("updated_at >=")
        .doesNotContain("tableScan");
  }

  @Test
  void theFileStoreWritesEachCommitBeforeReturning() throws SQLException {
    store.cursors().put("crm", "x");
    try (Connection c = rawConnection(); Statement s = c.createStatement();
         ResultSet rows = s.executeQuery("SELECT setting_value FROM information_schema.settings"
             + " WHERE setting_name = 'WRITE_DELAY'")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("0");
    }
    assertThat(dir.resolve("state.mv.db")).exists();
  }

  @Test
  void aPathEndingInTheH2SuffixNamesTheSameDatabase() {
    store.cursors().put("crm", "x");
    store.close();
    store = SyncStores.h2File(dir.resolve("state.mv.db"), H2Durability.PROCESS_CRASH, clock);

    assertThat(store.cursors().get("crm")).isPresent();
  }

  @Test
  void thePowerLossLevelSyncsAndStillWorks() {
    store.close();
    store = SyncStores.h2File(file(), H2Durability.POWER_LOSS, clock);

    assertThat(store.outbox().enqueue(NewWorkItem.now(J, "k", "key", "{}"))).isTrue();
    assertThat(store.outbox().findByKey(J, "key")).isPresent();
  }
}
