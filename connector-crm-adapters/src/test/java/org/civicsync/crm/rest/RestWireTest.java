package org.civicsync.crm.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.civicsync.core.model.Contact;
import org.civicsync.core.model.Coordinates;
import org.civicsync.core.model.Location;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.Status;
import org.civicsync.core.spi.AppliedUpdate;
import org.civicsync.core.spi.CaseCreation;
import org.civicsync.core.spi.CaseDetails;
import org.civicsync.core.spi.CaseLookup;
import org.civicsync.core.spi.CaseUpdate;
import org.civicsync.core.spi.CaseUpdates;
import org.civicsync.core.spi.ChangeFeed;
import org.civicsync.core.spi.ChangePage;
import org.civicsync.core.spi.CreatedCase;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.core.spi.CrmChange;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.NewCase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What goes over the wire, checked on the requests that reached WireMock, and how each answer
 * is read: canned answers in the CASES configuration (and variants of it), no fake behind them.
 */
class RestWireTest {
  private static final String CASE = "{\"data\":{\"id\":\"c-7\",\"external_ref\":\"req/1 & 2\","
      + "\"category\":\"potholes\",\"status\":\"new\",\"updated_at\":\"2024-07-01T09:00:00Z\","
      + "\"version\":3}}";
  private final WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort());
  private CrmAdapter crm;

  @BeforeEach
  void start() {
    server.start();
    server.stubFor(post(urlEqualTo("/oauth/token")).willReturn(okJson(
        "{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
    crm = adapter(RestConfigs.CASES);
  }

  @AfterEach
  void stop() {
    crm.close();
    server.stop();
  }

  /** Built the way the connector builds it: from settings, through ServiceLoader. */
  private CrmAdapter adapter(String yaml) {
    if (crm != null) {
      crm.close();
    }
    return CrmAdapterRegistry.installed().create("rest", "council-cases",
        RestConfigs.settings(yaml, server.baseUrl(), FakeCaseApi.CLIENT_SECRET));
  }

  @Test
  void createPostsTheBodyTemplateWithTypedValuesAndTheIdempotencyKey() {
    server.stubFor(post(urlEqualTo("/api/v2/cases")).willReturn(
        aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody(CASE)));
    Report report = Report.builder().id("req/1 & 2").serviceCode("POT")
        .description("Deep pothole").title("Pothole")
        .location(Location.at(Coordinates.of("51.4545", "-2.5879")).withAddress("Park Row"))
        .contact(new Contact(Optional.of("Alex"), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty()))
        .build();

    CreatedCase created = crm.capability(CaseCreation.class).orElseThrow().create(new NewCase(
        "fms-42", "req/1 & 2", "potholes", Map.of("priority", List.of("high")), report));

    assertThat(created).isEqualTo(new CreatedCase("c-7", 3, false));
    server.verify(postRequestedFor(urlEqualTo("/oauth/token"))
        .withHeader("Authorization", equalTo("Basic Y2l2aWNzeW5jLWNvbm5lY3RvcjpjbDFlbnQtczNjcmV0"))
        .withRequestBody(equalTo("grant_type=client_credentials&scope=cases.write")));
    server.verify(postRequestedFor(urlEqualTo("/api/v2/cases"))
        .withHeader("Authorization", equalTo("Bearer at-1"))
        .withHeader("Idempotency-Key", equalTo("fms-42"))
        .withHeader("Content-Type", equalTo("application/json; charset=UTF-8"))
        .withRequestBody(equalToJson("""
            {"external_ref": "req/1 & 2", "category": "potholes", "title": "Pothole",
             "description": "Deep pothole",
             "location": {"lat": 51.4545, "lng": -2.5879, "address": "Park Row"},
             "custom_fields": {"priority": "high"}, "source": "CivicSync (POT)"}""")));
    // Header-style idempotency: no lookup before the create.
    assertThat(server.findAll(getRequestedFor(urlPathEqualTo("/api/v2/cases")))).isEmpty();
  }

  @Test
  void aReplayedCreateIsReportedAsAlreadyExisting() {
    server.stubFor(post(urlEqualTo("/api/v2/cases")).willReturn(aResponse().withStatus(201)
        .withHeader("Idempotent-Replayed", "true").withBody(CASE)));

    CreatedCase created = crm.capability(CaseCreation.class).orElseThrow()
        .create(newCase("req-1"));

    assertThat(created.alreadyExisted()).isTrue();
  }

  @Test
  void aCreateAnsweredWithoutTheCaseIsFoundByItsReference() {
    server.stubFor(post(urlEqualTo("/api/v2/cases")).willReturn(aResponse().withStatus(201)
        .withHeader("Location", "/api/v2/cases/c-7")));
    server.stubFor(get(urlPathEqualTo("/api/v2/cases")).willReturn(
        okJson("{\"data\":[" + CASE.substring(8, CASE.length() - 1) + "]}")));

    CreatedCase created = crm.capability(CaseCreation.class).orElseThrow()
        .create(newCase("req/1 & 2"));

    assertThat(created).isEqualTo(new CreatedCase("c-7", 3, false));
  }

  @Test
  void findEncodesTheReferenceAsOneQueryValueAndIgnoresLooseMatches() {
    server.stubFor(get(urlPathEqualTo("/api/v2/cases")).willReturn(okJson("{\"data\":["
        + "{\"id\":\"c-6\",\"external_ref\":\"REQ/1 & 2\",\"status\":\"new\","
        + "\"updated_at\":\"2024-07-01T08:00:00Z\",\"version\":1},"
        + CASE.substring(8, CASE.length() - 1) + "]}")));

    var found = crm.capability(CaseLookup.class).orElseThrow().findByExternalReference("req/1 & 2");

    assertThat(found).hasValueSatisfying(c -> assertThat(c.caseId()).isEqualTo("c-7"));
    server.verify(getRequestedFor(urlEqualTo("/api/v2/cases?external_ref=req%2F1%20%26%202")));
  }

  @Test
  void closeReadsTheCaseWritesTheNoteThenTheCloseBodyAndReadsTheVersionBack() {
    server.stubFor(get(urlEqualTo("/api/v2/cases/c-7")).inScenario("c").whenScenarioStateIs(
        "Started").willReturn(okJson(CASE)));
    server.stubFor(get(urlEqualTo("/api/v2/cases/c-7/notes")).willReturn(okJson(
        "{\"data\":[{\"body\":\"older\",\"update_id\":\"u-1\"}]}")));
    server.stubFor(post(urlEqualTo("/api/v2/cases/c-7/notes")).willReturn(
        aResponse().withStatus(201).withBody("{\"data\":{\"id\":\"n-1\"}}")));
    server.stubFor(patch(urlEqualTo("/api/v2/cases/c-7")).inScenario("c")
        .willSetStateTo("closed").willReturn(okJson(CASE)));
    server.stubFor(get(urlEqualTo("/api/v2/cases/c-7")).inScenario("c").whenScenarioStateIs(
        "closed").willReturn(okJson(CASE.replace("\"new\"", "\"resolved\"")
            .replace("\"version\":3", "\"version\":5"))));

    AppliedUpdate applied = crm.capability(CaseUpdates.class).orElseThrow().apply(
        CaseUpdate.close("c-7", "u-2", Status.NO_FURTHER_ACTION, Optional.empty())
            .withNote("Nothing to repair"));

    assertThat(applied).isEqualTo(new AppliedUpdate(5, false));
    server.verify(postRequestedFor(urlEqualTo("/api/v2/cases/c-7/notes")).withRequestBody(
        equalToJson("{\"body\":\"Nothing to repair\",\"update_id\":\"u-2\"}")));
    server.verify(patchRequestedFor(urlEqualTo("/api/v2/cases/c-7")).withRequestBody(
        equalToJson("{\"status\":\"resolved\",\"resolution\":\"no_further_action\"}")));
  }

  @Test
  void changesFollowTheNextLinkAndSortTiesByIdThemselves() {
    server.stubFor(get(urlEqualTo(
        "/api/v2/cases?updated_since=2024-07-01T08%3A59%3A59Z&page_size=12")).willReturn(okJson(
            "{\"data\":[" + item("c-3", "09:00:00") + "," + item("c-2", "09:00:00") + "],"
                + "\"links\":{\"next\":\"/api/v2/cases?page_token=xyz\"}}")));
    server.stubFor(get(urlEqualTo("/api/v2/cases?page_token=xyz")).willReturn(okJson(
        "{\"data\":[" + item("c-1", "09:00:00") + "," + item("c-0", "09:00:05") + "],"
            + "\"links\":{\"next\":null}}")));
    ChangeFeed feed = crm.capability(ChangeFeed.class).orElseThrow();

    ChangePage page = feed.changesSince(feed.cursorAt(Instant.parse("2024-07-01T09:00:00Z")), 2);

    assertThat(page.changes()).extracting(CrmChange::caseId).containsExactly("c-1", "c-2");
    assertThat(page.more()).isTrue();
    assertThat(page.next().value()).isEqualTo("rest1:2024-07-01T09:00:00Z|c-2");
  }

  @Test
  void cursorPagingSendsTheTokenBackAsTheConfiguredParameter() {
    crm = adapter(RestConfigs.CASES.replace("paging: { style: next_link, next: /links/next }",
        "paging: { style: cursor, cursor: /meta/next_cursor, param: after }"));
    server.stubFor(get(urlPathEqualTo("/api/v2/cases")).willReturn(okJson(
        "{\"data\":[" + item("c-1", "09:00:00") + "],\"meta\":{\"next_cursor\":\"abc=\"}}")));
    server.stubFor(get(urlPathEqualTo("/api/v2/cases")).withQueryParam("after", equalTo("abc="))
        .willReturn(okJson("{\"data\":[" + item("c-2", "09:00:09") + "],\"meta\":{}}")));
    ChangeFeed feed = crm.capability(ChangeFeed.class).orElseThrow();

    ChangePage page = feed.changesSince(feed.beginning(), 10);

    assertThat(page.changes()).extracting(CrmChange::caseId).containsExactly("c-1", "c-2");
    server.verify(getRequestedFor(urlEqualTo("/api/v2/cases?updated_since="
        + "1969-12-31T23%3A59%3A59Z&page_size=20&after=abc%3D")));
  }

  @Test
  void offsetPagingCountsTheItemsReadAndStopsAtAShortPage() {
    crm = adapter(RestConfigs.CASES.replace("paging: { style: next_link, next: /links/next }",
        "paging: { style: offset, param: skip }"));
    List<String> twelve = new ArrayList<>();
    for (int i = 10; i < 22; i++) {
      twelve.add(item("c-" + i, "09:00:00"));
    }
    server.stubFor(get(urlPathEqualTo("/api/v2/cases")).willReturn(okJson(
        "{\"data\":[" + String.join(",", twelve) + "]}")));
    server.stubFor(get(urlPathEqualTo("/api/v2/cases")).withQueryParam("skip", equalTo("12"))
        .willReturn(okJson("{\"data\":[" + item("c-22", "09:00:00") + "]}")));
    ChangeFeed feed = crm.capability(ChangeFeed.class).orElseThrow();

    ChangePage page = feed.changesSince(feed.beginning(), 2); // asks for 2 + 10 headroom

    assertThat(page.changes()).extracting(CrmChange::caseId).containsExactly("c-10", "c-11");
    assertThat(server.findAll(getRequestedFor(urlPathEqualTo("/api/v2/cases")))).hasSize(2);
  }

  @Test
  void thePageSizeAskedNeverExceedsTheCrmsCap() {
    crm = adapter(RestConfigs.CASES + "max_page_size: 50\n");
    server.stubFor(get(urlPathEqualTo("/api/v2/cases")).willReturn(okJson("{\"data\":[]}")));
    ChangeFeed feed = crm.capability(ChangeFeed.class).orElseThrow();

    ChangePage page = feed.changesSince(feed.beginning(), 500);

    assertThat(page.changes()).isEmpty();
    server.verify(getRequestedFor(urlPathEqualTo("/api/v2/cases"))
        .withQueryParam("page_size", equalTo("50")));
  }

  @Test
  void aCaseWithAnUnreadableTimeIsAPermanentErrorNamingThePointer() {
    server.stubFor(get(urlPathEqualTo("/api/v2/cases")).willReturn(okJson(
        "{\"data\":[{\"id\":\"c-1\",\"status\":\"new\",\"updated_at\":\"yesterday\","
            + "\"version\":1}]}")));
    ChangeFeed feed = crm.capability(ChangeFeed.class).orElseThrow();

    CrmException e = catchThrowableOfType(CrmException.class,
        () -> feed.changesSince(feed.beginning(), 5));

    assertThat(e.kind()).isEqualTo(CrmException.Kind.PERMANENT);
    assertThat(e.getMessage()).contains("modified time at /updated_at is not an ISO-8601"
        + " date-time with offset: 'yesterday'");
  }

  @Test
  void aNextPageOnAnotherHostIsRefusedRatherThanSentTheToken() {
    server.stubFor(get(urlPathEqualTo("/api/v2/cases")).willReturn(okJson("{\"data\":["
        + item("c-1", "09:00:00") + "],\"links\":{\"next\":\"https://elsewhere.example/x\"}}")));
    ChangeFeed feed = crm.capability(ChangeFeed.class).orElseThrow();

    CrmException e = catchThrowableOfType(CrmException.class,
        () -> feed.changesSince(feed.beginning(), 10));

    assertThat(e.kind()).isEqualTo(CrmException.Kind.PERMANENT);
    assertThat(e.getMessage()).contains("another origin");
  }

  @Test
  void localTimesAreReadAndSentInTheConfiguredZone() {
    crm = adapter(RestConfigs.CASES.replace("modified_time: { format: iso_instant }",
        "modified_time: { format: local, zone: Europe/London, pattern: \"yyyy-MM-dd HH:mm:ss\" }"));
    server.stubFor(get(urlPathEqualTo("/api/v2/cases")).willReturn(okJson(
        "{\"data\":[{\"id\":\"c-1\",\"status\":\"new\",\"updated_at\":\"2024-07-01 10:00:00\","
            + "\"version\":1}]}")));
    ChangeFeed feed = crm.capability(ChangeFeed.class).orElseThrow();

    ChangePage page = feed.changesSince(feed.cursorAt(Instant.parse("2024-07-01T08:00:00Z")), 5);

    assertThat(page.changes()).extracting(CrmChange::modified)
        .containsExactly(Instant.parse("2024-07-01T09:00:00Z"));
    server.verify(getRequestedFor(urlEqualTo(
        "/api/v2/cases?updated_since=2024-07-01%2008%3A59%3A59&page_size=15")));
  }

  @Test
  void aRefusedValueIsPermanentAndQuotesTheCrmsMessage() {
    server.stubFor(patch(urlEqualTo("/api/v2/cases/c-7")).willReturn(aResponse().withStatus(422)
        .withBody("{\"error\":{\"code\":\"invalid_status\",\"message\":\"Unknown status 'x'\"}}")));
    server.stubFor(get(urlEqualTo("/api/v2/cases/c-7")).willReturn(okJson(CASE)));

    CrmException e = catchThrowableOfType(CrmException.class, () -> crm.capability(
        CaseUpdates.class).orElseThrow().apply(CaseUpdate.status("c-7", "u-3", "x")));

    assertThat(e.kind()).isEqualTo(CrmException.Kind.PERMANENT);
    assertThat(e.caseId()).contains("c-7");
    assertThat(e.getMessage()).contains("PATCH /api/v2/cases/c-7: HTTP 422: Unknown status 'x'");
  }

  @Test
  void aStatusChangeThatGetsNoAnswerIsOutcomeUnknown() {
    server.stubFor(get(urlEqualTo("/api/v2/cases/c-7")).willReturn(okJson(CASE)));
    server.stubFor(patch(urlEqualTo("/api/v2/cases/c-7")).willReturn(okJson(CASE)
        .withFixedDelay(3_000)));

    CrmException e = catchThrowableOfType(CrmException.class, () -> crm.capability(
        CaseUpdates.class).orElseThrow().apply(CaseUpdate.status("c-7", "u-4", "in_progress")));

    assertThat(e.kind()).isEqualTo(CrmException.Kind.OUTCOME_UNKNOWN);
    assertThat(e.getMessage()).contains("PATCH /api/v2/cases/c-7: no answer");
  }

  @Test
  void aConflictOnCreateIsSettledByLookup() {
    crm = adapter(RestConfigs.CASES.replace("style: header, ", "style: lookup, "));
    server.stubFor(get(urlPathEqualTo("/api/v2/cases")).inScenario("dup").whenScenarioStateIs(
        "Started").willReturn(okJson("{\"data\":[]}")));
    server.stubFor(post(urlEqualTo("/api/v2/cases")).inScenario("dup").willSetStateTo("made")
        .willReturn(aResponse().withStatus(409).withBody(
            "{\"error\":{\"code\":\"duplicate\",\"message\":\"external_ref taken\"}}")));
    server.stubFor(get(urlPathEqualTo("/api/v2/cases")).inScenario("dup").whenScenarioStateIs(
        "made").willReturn(okJson("{\"data\":[" + CASE.substring(8, CASE.length() - 1) + "]}")));

    CreatedCase created = crm.capability(CaseCreation.class).orElseThrow()
        .create(newCase("req/1 & 2"));

    assertThat(created).isEqualTo(new CreatedCase("c-7", 3, true));
    server.verify(postRequestedFor(urlEqualTo("/api/v2/cases"))
        .withoutHeader("Idempotency-Key"));
  }

  @Test
  void statusCodesAreClassified() {
    server.stubFor(get(urlPathEqualTo("/api/v2/cases")).willReturn(aResponse().withStatus(503)
        .withHeader("Retry-After", "120")));
    server.stubFor(get(urlEqualTo("/api/v2/cases/c-9")).willReturn(aResponse().withStatus(404)
        .withBody("{\"error\":{\"message\":\"No case c-9\"}}")));
    server.stubFor(get(urlEqualTo("/api/v2/cases/c-8")).willReturn(aResponse().withStatus(403)));
    CaseUpdates updates = crm.capability(CaseUpdates.class).orElseThrow();

    CrmException busy = catchThrowableOfType(CrmException.class, () -> crm.capability(
        CaseLookup.class).orElseThrow().findByExternalReference("req-1"));
    CrmException missing = catchThrowableOfType(CrmException.class,
        () -> updates.apply(CaseUpdate.note("c-9", "u-1", "Hello")));
    CrmException forbidden = catchThrowableOfType(CrmException.class,
        () -> updates.apply(CaseUpdate.note("c-8", "u-1", "Hello")));

    assertThat(busy.kind()).isEqualTo(CrmException.Kind.TRANSIENT);
    assertThat(busy.retryAfter()).contains(Duration.ofSeconds(120));
    assertThat(missing.kind()).isEqualTo(CrmException.Kind.NOT_FOUND);
    assertThat(forbidden.kind()).isEqualTo(CrmException.Kind.AUTHENTICATION);
  }

  @Test
  void anExpiredTokenIsRenewedBeforeUseByItsExpiresIn() {
    server.stubFor(post(urlEqualTo("/oauth/token")).willReturn(okJson(
        "{\"access_token\":\"at-2\",\"token_type\":\"Bearer\",\"expires_in\":60}")));
    server.stubFor(get(urlPathEqualTo("/api/v2/cases")).willReturn(okJson("{\"data\":[]}")));
    Instant[] now = {Instant.parse("2024-07-01T09:00:00Z")};
    RestCrm timed = RestCrm.create("council-cases", RestProvider.read("council-cases",
        RestConfigs.settings(RestConfigs.CASES, server.baseUrl(), FakeCaseApi.CLIENT_SECRET)),
        new java.time.Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
          }

          @Override
          public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0];
          }
        });
    try (timed) {
      timed.findByExternalReference("a");
      now[0] = now[0].plusSeconds(29);
      timed.findByExternalReference("b");
      now[0] = now[0].plusSeconds(2); // 31 s: within 30 s of the 60 s lifetime
      timed.findByExternalReference("c");
    }

    assertThat(server.findAll(postRequestedFor(urlEqualTo("/oauth/token")))).hasSize(2);
  }

  private static NewCase newCase(String reference) {
    return new NewCase("fms-1", reference, "potholes", Map.of(),
        Report.builder().id(reference).description("Pothole").build());
  }

  @Test
  void detailsAskTheConfiguredUrlAndReadOnlyTheDetailPointers() {
    server.stubFor(get(urlPathEqualTo("/api/v2/cases/c-7")).willReturn(okJson("""
        {"data": {"id": "c-7", "title": "Fly-tipping", "description": "Mattress by the gate",
                  "location": {"lat": 51.4545, "lng": "-2.5879", "address": "Park Row"},
                  "created_at": "2024-06-30T09:15:00+01:00",
                  "reporter": {"name": "Alex Smith", "email": "alex@example.org"}}}""")));

    Optional<Report> details = crm.capability(CaseDetails.class).orElseThrow().details("c-7");

    assertThat(details).hasValueSatisfying(r -> {
      assertThat(r.title()).contains("Fly-tipping");
      assertThat(r.description()).contains("Mattress by the gate");
      assertThat(r.location().coordinates()).contains(Coordinates.of("51.4545", "-2.5879"));
      assertThat(r.location().address()).contains("Park Row");
      assertThat(r.requested()).contains(OffsetDateTime.parse("2024-06-30T08:15:00Z"));
      assertThat(r.contact()).isEqualTo(Contact.NONE);
    });
    server.verify(getRequestedFor(urlPathEqualTo("/api/v2/cases/c-7"))
        .withHeader("Authorization", equalTo("Bearer at-1"))
        .withQueryParam("fields", equalTo("title,description,location,created_at")));
  }

  @Test
  void detailsOfAnUnknownCaseAreEmptyAndFailuresAreTheUsualKinds() {
    server.stubFor(get(urlPathEqualTo("/api/v2/cases/c-404")).willReturn(aResponse()
        .withStatus(404).withHeader("Content-Type", "application/json")
        .withBody("{\"error\":{\"code\":\"not_found\",\"message\":\"No case\"}}")));
    server.stubFor(get(urlPathEqualTo("/api/v2/cases/c-busy")).willReturn(aResponse()
        .withStatus(429).withHeader("Retry-After", "30")));
    server.stubFor(get(urlPathEqualTo("/api/v2/cases/c-odd")).willReturn(okJson(
        "{\"data\":{\"location\":{\"lat\":\"north\",\"lng\":1}}}")));
    CaseDetails details = crm.capability(CaseDetails.class).orElseThrow();

    CrmException busy = catchThrowableOfType(CrmException.class, () -> details.details("c-busy"));
    CrmException odd = catchThrowableOfType(CrmException.class, () -> details.details("c-odd"));

    assertThat(details.details("c-404")).isEmpty();
    assertThat(busy.kind()).isEqualTo(CrmException.Kind.TRANSIENT);
    assertThat(busy.retryAfter()).contains(Duration.ofSeconds(30));
    assertThat(busy.caseId()).contains("c-busy");
    assertThat(odd.kind()).isEqualTo(CrmException.Kind.PERMANENT);
    assertThat(odd.getMessage()).contains("coordinate at /location/lat is not a number");
  }

  @Test
  void withoutADetailsOperationThereIsNoCaseDetails() {
    crm = adapter(RestConfigs.TICKETS.replace("${secret}", FakeCaseApi.API_KEY));

    assertThat(crm.capability(CaseDetails.class)).isEmpty();
    assertThat(crm.capability(CaseLookup.class)).isPresent();
  }

  private static String item(String id, String time) {
    return "{\"id\":\"" + id + "\",\"external_ref\":null,\"status\":\"new\",\"updated_at\":"
        + "\"2024-07-01T" + time + "Z\",\"version\":1}";
  }
}
