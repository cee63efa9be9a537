package org.civicsync.crm.open311;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.civicsync.core.model.Status;
import org.civicsync.core.spi.AppliedUpdate;
import org.civicsync.core.spi.CaseUpdate;
import org.civicsync.core.spi.CaseUpdates;
import org.civicsync.core.spi.CrmException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How many calls applying updates takes, and that each update id is POSTed once across retries,
 * crashes and a second connector process, counted at a {@link FakeBackOffice}.
 */
class Open311CrmApplyTest {
  private static final String KEY = "k3y";
  private static final String FEED = "/open311/v2/servicerequestupdates.xml";

  private FakeBackOffice backOffice;
  private WireMockServer server;
  private String caseId;

  @BeforeEach
  void start() {
    backOffice = new FakeBackOffice(KEY, true, "civicsync_reference");
    server = new WireMockServer(wireMockConfig().dynamicPort().extensions(backOffice));
    server.start();
    server.stubFor(any(anyUrl()).atPriority(10)
        .willReturn(aResponse().withTransformers(FakeBackOffice.NAME)));
    caseId = backOffice.raise("POT");
    backOffice.advance(60);
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private Open311Crm adapter() {
    return Open311Crm.create("council-open311", Open311CrmSettings
        .withUpdates(server.baseUrl() + "/open311/v2/", KEY).withReadTimeout(Duration.ofSeconds(1))
        .withClock(new Open311CrmContractTest.BackOfficeClock(backOffice)));
  }

  private static CaseUpdates updates(Open311Crm crm) {
    return crm.capability(CaseUpdates.class).orElseThrow();
  }

  private List<String> feedReadsFrom() {
    return server.findAll(getRequestedFor(urlPathEqualTo(FEED))).stream()
        .map(r -> r.queryParameter("start_date").firstValue()).toList();
  }

  private int posts() {
    return server.findAll(postRequestedFor(urlPathEqualTo(FEED))).size();
  }

  private long updatesPosted(String updateId) {
    return server.findAll(postRequestedFor(urlPathEqualTo(FEED))).stream()
        .filter(r -> r.getBodyAsString().contains("update_id=" + updateId)).count();
  }

  @Test
  void applyReadsTheWholeWindowOnceThenOnlyFromTheLastReadLessTheOverlap() {
    Instant first = backOffice.now();
    try (Open311Crm crm = adapter()) {
      for (int i = 1; i <= 4; i++) {
        CaseUpdate note = CaseUpdate.note(caseId, "upd-" + i, "Note " + i);
        assertThat(updates(crm).apply(note).alreadyApplied()).isFalse();
        backOffice.advance(30);
      }
    }

    assertThat(feedReadsFrom()).containsExactly(
        first.minusSeconds(7 * 86_400).toString(),
        first.minusSeconds(5).toString(),
        first.plusSeconds(30 - 5).toString(),
        first.plusSeconds(60 - 5).toString());
    assertThat(posts()).isEqualTo(4);
    server.verify(4, getRequestedFor(urlPathMatching("/open311/v2/requests/[0-9]+\\.xml")));
    assertThat(server.getAllServeEvents()).hasSize(3 * 4);
    assertThat(backOffice.request(caseId).notes).containsExactly(
        "Note 1", "Note 2", "Note 3", "Note 4");
  }

  @Test
  void anUpdatePostedBeforeACrashIsFoundByTheNextInstanceAndNotPostedAgain() {
    AppliedUpdate posted;
    try (Open311Crm crashed = adapter()) {
      posted = updates(crashed).apply(CaseUpdate.close(caseId, "upd-1", Status.FIXED,
          Optional.empty()).withNote("Filled"));
    }
    backOffice.advance(600);

    AppliedUpdate again;
    try (Open311Crm restarted = adapter()) {
      again = updates(restarted).apply(CaseUpdate.close(caseId, "upd-1", Status.FIXED,
          Optional.empty()).withNote("Filled"));
    }

    assertThat(posted.alreadyApplied()).isFalse();
    assertThat(again.alreadyApplied()).isTrue();
    assertThat(again.version()).isEqualTo(posted.version());
    assertThat(updatesPosted("upd-1")).isEqualTo(1);
    // Each instance's first apply reads the whole window.
    assertThat(feedReadsFrom()).hasSize(2)
        .allSatisfy(from -> assertThat(Instant.parse(from))
            .isBefore(backOffice.now().minusSeconds(6 * 86_400)));
  }

  @Test
  void anUpdatePostedByAnotherProcessAfterThisOneReadTheWindowIsFoundByTheNarrowRead() {
    try (Open311Crm here = adapter(); Open311Crm other = adapter()) {
      updates(here).apply(CaseUpdate.note(caseId, "upd-1", "First"));
      backOffice.advance(20);
      // Another process POSTs upd-2 and crashes before recording it; the item comes back here.
      updates(other).apply(CaseUpdate.note(caseId, "upd-2", "Second"));
      backOffice.advance(20);
      Instant retried = backOffice.now();

      AppliedUpdate again = updates(here).apply(CaseUpdate.note(caseId, "upd-2", "Second"));

      assertThat(again.alreadyApplied()).isTrue();
      assertThat(updatesPosted("upd-2")).isEqualTo(1);
      assertThat(feedReadsFrom()).last()
          .isEqualTo(retried.minusSeconds(40 + 5).toString());
    }
  }

  @Test
  void aRetryOfAnUpdatePostedHereIsNotPostedAgainAndNeedsNoRead() {
    try (Open311Crm crm = adapter()) {
      AppliedUpdate first = updates(crm).apply(CaseUpdate.note(caseId, "upd-1", "Crew sent"));
      backOffice.advance(5);
      int calls = server.getAllServeEvents().size();

      AppliedUpdate again = updates(crm).apply(CaseUpdate.note(caseId, "upd-1", "Crew sent"));

      assertThat(again.alreadyApplied()).isTrue();
      assertThat(again.version()).isEqualTo(first.version());
      assertThat(server.getAllServeEvents()).hasSize(calls);
      assertThat(updatesPosted("upd-1")).isEqualTo(1);
      assertThat(feedReadsFrom()).hasSize(1);
    }
  }

  @Test
  void aPostCommittedAfterItsAnswerWasLostIsFoundOnRetryThoughOtherAppliesReadOn() {
    try (Open311Crm crm = adapter()) {
      updates(crm).apply(CaseUpdate.note(caseId, "upd-0", "Zeroth"));
      backOffice.advance(1);
      Instant lost = backOffice.now();
      backOffice.holdNextUpdate();
      CrmException e = catchThrowableOfType(CrmException.class,
          () -> updates(crm).apply(CaseUpdate.note(caseId, "upd-1", "First")));
      backOffice.advance(30);
      // Another worker's apply reads the feed on to now; then the back office commits upd-1.
      updates(crm).apply(CaseUpdate.note(caseId, "upd-2", "Second"));
      backOffice.applyHeldUpdate();
      backOffice.advance(30);

      AppliedUpdate retried = updates(crm).apply(CaseUpdate.note(caseId, "upd-1", "First"));

      assertThat(e.kind()).isEqualTo(CrmException.Kind.OUTCOME_UNKNOWN);
      assertThat(retried.alreadyApplied()).isTrue();
      assertThat(retried.version()).isEqualTo(lost.toEpochMilli());
      assertThat(updatesPosted("upd-1")).isEqualTo(1);
      assertThat(feedReadsFrom()).last().isEqualTo(lost.minusSeconds(5).toString());
    }
  }

  @Test
  void aFailedReadFailsTheApplyPostsNothingAndLeavesTheWatermark() {
    Instant first = backOffice.now();
    try (Open311Crm crm = adapter()) {
      updates(crm).apply(CaseUpdate.note(caseId, "upd-1", "First"));
      backOffice.advance(30);
      StubMapping down = server.stubFor(get(urlPathEqualTo(FEED)).atPriority(1)
          .willReturn(aResponse().withStatus(503).withBody("busy")));

      CrmException e = catchThrowableOfType(CrmException.class,
          () -> updates(crm).apply(CaseUpdate.note(caseId, "upd-2", "Second")));
      server.removeStub(down);
      backOffice.advance(30);
      updates(crm).apply(CaseUpdate.note(caseId, "upd-2", "Second"));

      assertThat(e.kind()).isEqualTo(CrmException.Kind.TRANSIENT);
      assertThat(updatesPosted("upd-2")).isEqualTo(1);
      assertThat(feedReadsFrom()).containsExactly(first.minusSeconds(7 * 86_400).toString(),
          first.minusSeconds(5).toString(), first.minusSeconds(5).toString());
    }
  }
}
