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
    // The API filters by time only, so each call reads the run of ties from its start: three
    // pages of 110 for each of three calls, and for the poll after them.
    assertThat(requests()).isEqualTo(4 * 3);
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
