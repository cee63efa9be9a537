package org.civicsync.crm.open311;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.model.Status;
import org.junit.jupiter.api.Test;

/** The cache behind the Open311 adapter's check for an update already applied. */
class SeenUpdatesTest {
  private static final Instant T = Instant.parse("2024-07-01T09:00:00Z");
  private static final SeenUpdates.Key KEY = new SeenUpdates.Key("5001", "upd-1");

  private final SeenUpdates seen = new SeenUpdates(Duration.ofDays(7));

  private static ReportUpdate listed(String caseId, String updateId, Instant updated) {
    return ReportUpdate.builder().updateId(updateId).serviceRequestId(caseId)
        .status(Status.UNCHANGED).updated(OffsetDateTime.ofInstant(updated, ZoneOffset.UTC))
        .build();
  }

  @Test
  void theNextReadStartsAtTheWindowThenAtTheLatestReadLessTheOverlapButNotBeforeTheWindow() {
    assertThat(seen.readFrom(KEY, T)).isEqualTo(T.minus(Duration.ofDays(7)));
    seen.read(T, List.of());
    seen.read(T.minusSeconds(60), List.of());
    assertThat(seen.readFrom(KEY, T.plusSeconds(10))).isEqualTo(T.minus(SeenUpdates.OVERLAP));
    assertThat(seen.readFrom(KEY, T.plus(Duration.ofDays(30))))
        .isEqualTo(T.plus(Duration.ofDays(23)));
  }

  @Test
  void ourOwnPostIsFoundButDoesNotMoveTheWatermark() {
    seen.read(T, List.of());
    seen.posted(KEY, T.plusSeconds(100));

    assertThat(seen.find(KEY, T.plusSeconds(100))).contains(T.plusSeconds(100));
    assertThat(seen.readFrom(KEY, T.plusSeconds(100))).isEqualTo(T.minus(SeenUpdates.OVERLAP));
  }

  @Test
  void aPairIsMatchedOnBothIdsAndForgottenOnceOlderThanTheWindow() {
    seen.read(T, List.of(listed("5001", "upd-1", T.minusSeconds(60)),
        listed("5002", "upd-2", T)));

    assertThat(seen.find(KEY, T)).contains(T.minusSeconds(60));
    assertThat(seen.find(new SeenUpdates.Key("5002", "upd-1"), T)).isEmpty();
    assertThat(seen.find(KEY, T.plus(Duration.ofDays(7)))).isEmpty();
    assertThat(seen.find(new SeenUpdates.Key("5002", "upd-2"), T.plus(Duration.ofDays(7))))
        .contains(T);
  }

  @Test
  void aFailedPostMakesTheNextReadForItsPairStartBelowItsDateUntilThePairIsSeen() {
    seen.read(T, List.of());
    seen.postFailed(KEY, T.plusSeconds(1));
    seen.read(T.plusSeconds(60), List.of());
    SeenUpdates.Key other = new SeenUpdates.Key("5001", "upd-2");

    assertThat(seen.readFrom(KEY, T.plusSeconds(60)))
        .isEqualTo(T.plusSeconds(1).minus(SeenUpdates.OVERLAP));
    assertThat(seen.readFrom(other, T.plusSeconds(60)))
        .isEqualTo(T.plusSeconds(60).minus(SeenUpdates.OVERLAP));
    seen.read(T.plusSeconds(61), List.of(listed("5001", "upd-1", T.plusSeconds(1))));
    assertThat(seen.readFrom(KEY, T.plusSeconds(61)))
        .isEqualTo(T.plusSeconds(61).minus(SeenUpdates.OVERLAP));
  }

  @Test
  void onlyOneThreadAtATimeHoldsAPair() {
    assertThat(seen.claim(KEY)).isTrue();
    assertThat(seen.claim(KEY)).isFalse();
    assertThat(seen.claim(new SeenUpdates.Key("5001", "upd-2"))).isTrue();
    seen.release(KEY);
    assertThat(seen.claim(KEY)).isTrue();
  }
}
