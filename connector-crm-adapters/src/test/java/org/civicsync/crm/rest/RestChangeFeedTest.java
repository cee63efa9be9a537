package org.civicsync.crm.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.ArrayList;
import java.util.List;
import org.civicsync.core.spi.ChangeCursor;
import org.civicsync.core.spi.ChangePage;
import org.civicsync.core.spi.CrmChange;
import org.civicsync.core.spi.CrmException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The change feed over a "modified since" API at scale, on {@link FakeCaseApi}: every case once,
 * in keyset order, and how many requests that takes.
 */
class RestChangeFeedTest {
  private final FakeCaseApi fake = new FakeCaseApi(FakeCaseApi.Dialect.CASES);
  private final WireMockServer server =
      new WireMockServer(wireMockConfig().dynamicPort().extensions(fake));
  private RestCrm crm;

  private RestCrm start(String yaml) {
    server.start();
    server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(FakeCaseApi.NAME)));
    crm = RestCrm.create("council-cases", RestProvider.read("council-cases",
        RestConfigs.settings(yaml, server.baseUrl(), FakeCaseApi.CLIENT_SECRET)));
    return crm;
  }

  @AfterEach
  void stop() {
    if (crm != null) {
      crm.close();
    }
    server.stop();
  }

  @Test
  void aBackfillOfCasesAtDifferentTimesTakesOneRequestPerPage() {
    start(RestConfigs.CASES);
    List<String> raised = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      raised.add(fake.raise("potholes").id);
      fake.advance(2);
    }

    List<String> listed = readAll(100);

    assertThat(listed).containsExactlyElementsOf(raised);
    // 10 full pages and the empty read that ends the backfill.
    assertThat(requests()).isEqualTo(11);
  }

  @Test
  void aRunOfEqualTimesLongerThanAPageIsReadWithoutLossOrRepeat() {
    start(RestConfigs.CASES);
    List<String> raised = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      raised.add(fake.raise("potholes").id);
    }

    List<String> listed = readAll(100);

    assertThat(listed).containsExactlyInAnyOrderElementsOf(raised).doesNotHaveDuplicates();
    assertThat(listed).isSorted(); // ties come in (modified, id) order, whatever the CRM sends
    // The API filters by time only, so each call reads the run of ties from its start: two
    // pages of 125 (100 and a quarter's headroom) for each of three calls, and for the poll.
    assertThat(requests()).isEqualTo(4 * 2);
  }

  @Test
  void anEnginePageAboveMaxPageSizeIsCutSoThatOneRequestAnswersEachPage() {
    start(RestConfigs.CASES + "max_page_size: 50\n");
    List<String> raised = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      raised.add(fake.raise("potholes").id);
      fake.advance(2);
    }

    List<String> listed = readAll(500);

    assertThat(listed).containsExactlyElementsOf(raised);
    // Pages of 40 in one request of page_size=50 each: the 10 over the page hold the case the
    // overlap re-reads and the one showing the page's last time is complete. Pages of 50 took
    // two requests each (4 x 2, and the poll: 9).
    assertThat(requests()).isEqualTo(200 / 40 + 1);
    assertThat(server.findAll(getRequestedFor(urlPathEqualTo("/api/v2/cases"))))
        .allSatisfy(r -> assertThat(r.queryParameter("page_size").firstValue()).isEqualTo("50"));
  }

  @Test
  void aPageLeavesRoomForItsHeadroomInOneAnswerOfTheCrm() {
    assertThat(ChangeReader.pageCap(200)).isEqualTo(160);
    assertThat(ChangeReader.asked(160, 200)).isEqualTo(200);
    assertThat(ChangeReader.asked(100, 200)).isEqualTo(125);
    assertThat(ChangeReader.asked(2, 200)).isEqualTo(2 + ChangeReader.HEADROOM);
    assertThat(ChangeReader.pageCap(50)).isEqualTo(40);
    assertThat(ChangeReader.pageCap(10)).isEqualTo(5); // too small for the headroom: half
    assertThat(ChangeReader.pageCap(1)).isEqualTo(1);
    for (int max = 20; max <= 5000; max++) {
      int page = ChangeReader.pageCap(max);
      assertThat(page + Math.max(ChangeReader.HEADROOM, page / 4)).as("max %d", max)
          .isLessThanOrEqualTo(max);
    }
  }

  @Test
  void atMaxPagesOnlyCasesOlderThanTheLastReadAreAnswered() {
    start(RestConfigs.CASES.replace("next: /links/next }", "next: /links/next, max_pages: 1 }"));
    String older = fake.raise("potholes").id;
    fake.advance(1);
    for (int i = 0; i < 20; i++) {
      fake.raise("potholes");
    }

    // One of the CRM's pages holds 2 + HEADROOM: the older case and 11 of the 20 ties.
    ChangePage page = crm.changesSince(crm.beginning(), 2);

    assertThat(page.changes()).extracting(CrmChange::caseId).containsExactly(older);
    assertThat(page.more()).isTrue();
  }

  @Test
  void moreTiesThanMaxPagesReachIsAnErrorThatSaysWhatToChange() {
    start(RestConfigs.CASES.replace("next: /links/next }", "next: /links/next, max_pages: 2 }"));
    for (int i = 0; i < 30; i++) {
      fake.raise("potholes");
    }

    CrmException e = catchThrowableOfType(CrmException.class,
        () -> crm.changesSince(crm.beginning(), 2));

    assertThat(e.kind()).isEqualTo(CrmException.Kind.PERMANENT);
    assertThat(e.getMessage()).contains("raise max_pages");
  }

  private List<String> readAll(int limit) {
    List<String> listed = new ArrayList<>();
    ChangeCursor cursor = crm.beginning();
    ChangePage page;
    int calls = 0;
    do {
      page = crm.changesSince(ChangeCursor.of(cursor.value()), limit);
      page.changes().forEach(c -> listed.add(c.caseId()));
      cursor = page.next();
    } while (page.more() && ++calls < 100);
    crm.changesSince(cursor, limit); // the engine's next poll: nothing new
    return listed;
  }

  private int requests() {
    return server.findAll(getRequestedFor(urlPathEqualTo("/api/v2/cases"))).size();
  }
}
