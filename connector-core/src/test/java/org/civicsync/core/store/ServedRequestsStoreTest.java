package org.civicsync.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.civicsync.core.model.Status;
import org.civicsync.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The served_request table (V3) on an H2 file: the window, its filters, and record-once. */
class ServedRequestsStoreTest {
  static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  static final String J = "camden";

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(T0);
  SyncStore store;

  @BeforeEach
  void open() {
    store = SyncStores.h2File(dir.resolve("s"), H2Durability.PROCESS_CRASH, clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** A link with a CRM id (or not), its CRM status, and its served row. */
  private long served(String crmId, Optional<Status> status, Instant requested, String code,
      boolean nonPublic) {
    NewLink link = NewLink.forOpen311(J, "o-" + crmId + requested)
        .withSide(Side.CRM, new SideState(status, Optional.of("1")));
    if (!crmId.isEmpty()) {
      link = link.withCrmId(crmId);
    }
    long id = store.links().insertIfAbsentByOpen311Id(link).link().id();
    assertThat(store.served().record(new ServedRequest(id, J, requested, Optional.of(code),
        nonPublic, false, "{}"))).isTrue();
    return id;
  }

  private List<Long> window(Instant start, Instant end, Set<String> codes, Set<String> hidden,
      Set<String> statuses, int limit) {
    return store.served().window(new ServedQuery(J, start, end, codes, hidden, statuses, limit))
        .stream().map(s -> s.link().id()).toList();
  }

  @Test
  void windowIsOldestFirstWithinBoundsAndSkipsNonPublicAndCaseless() {
    Instant t1 = T0.plusSeconds(60);
    Instant t2 = T0.plusSeconds(120);
    long late = served("C3", Optional.empty(), t2, "POT", false);
    long early = served("C1", Optional.of(Status.OPEN), T0, "POT", false);
    long sameTime = served("C2", Optional.of(Status.FIXED), T0, "BIN", false);
    served("C4", Optional.empty(), t1, "POT", true);
    served("", Optional.empty(), t1, "POT", false);

    assertThat(window(T0, t2, Set.of(), Set.of(), Set.of(), 10))
        .containsExactly(early, sameTime, late);
    assertThat(window(T0.plusNanos(1000), t2, Set.of(), Set.of(), Set.of(), 10))
        .containsExactly(late);
    assertThat(window(T0, t2, Set.of(), Set.of(), Set.of(), 2)).containsExactly(early, sameTime);
    assertThat(window(T0, t2, Set.of("BIN"), Set.of(), Set.of(), 10)).containsExactly(sameTime);
    assertThat(window(T0, t2, Set.of(), Set.of("BIN"), Set.of(), 10)).containsExactly(early, late);
    // No CRM status yet counts as OPEN.
    assertThat(window(T0, t2, Set.of(), Set.of(), Set.of("OPEN"), 10)).containsExactly(early, late);
    assertThat(window(T0, t2, Set.of(), Set.of(), Set.of("FIXED", "CLOSED"), 10))
        .containsExactly(sameTime);
  }

  @Test
  void aLinkIsRecordedOnceAndFoundWithItsPayload() {
    long id = served("C1", Optional.empty(), T0, "POT", false);
    assertThat(store.served().record(new ServedRequest(id, J, T0.plus(Duration.ofDays(1)),
        Optional.empty(), true, true, "{\"other\":1}"))).isFalse();
    ServedRequest row = store.served().find(id).orElseThrow();
    assertThat(row.requested()).isEqualTo(T0);
    assertThat(row.serviceCode()).contains("POT");
    assertThat(row.nonPublic()).isFalse();
    assertThat(row.payload()).isEqualTo("{}");
    assertThat(store.served().find(id + 1000)).isEmpty();
  }
}
