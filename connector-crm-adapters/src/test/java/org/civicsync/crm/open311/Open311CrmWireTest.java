package org.civicsync.crm.open311;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.civicsync.core.model.Location;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.Service;
import org.civicsync.core.model.Status;
import org.civicsync.core.spi.CaseUpdate;
import org.civicsync.core.spi.CaseUpdates;
import org.civicsync.core.spi.ChangeCursor;
import org.civicsync.core.spi.ChangeFeed;
import org.civicsync.core.spi.ChangePage;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.core.spi.CrmChange;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.NewCase;
import org.civicsync.core.spi.ServiceCatalogue;
import org.civicsync.open311.Format;
import org.civicsync.open311.codec.FormFields;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What goes over the wire to a GeoReport v2 back office, checked on the requests that arrived. */
class Open311CrmWireTest {
  private static final Instant NOW = Instant.parse("2024-07-01T09:00:00Z");
  private static final String XML = "text/xml; charset=utf-8";
  private final WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort());
  private Open311Crm crm;

  @BeforeEach
  void start() {
    server.start();
    crm = Open311Crm.create("council-open311", settings(true));
  }

  @AfterEach
  void stop() {
    crm.close();
    server.stop();
  }

  private Open311CrmSettings settings(boolean updateExtension) {
    Open311CrmSettings s = Open311CrmSettings.withUpdates(server.baseUrl() + "/v2", "k3y")
        .withUpdateExtension(updateExtension).withClock(Clock.fixed(NOW, ZoneOffset.UTC));
    return new Open311CrmSettings(s.endpoint(), s.apiKey(), Optional.of("bristol"), Format.XML,
        s.updateExtension(), s.extendedStatuses(), s.referenceAttribute(), s.lookupWindow(),
        s.feedWindow(), s.connectTimeout(), s.readTimeout(), s.clock());
  }

  private void answer(String method, String path, int status, String xml) {
    server.stubFor((method.equals("POST") ? post(urlPathEqualTo(path)) : get(urlPathEqualTo(path)))
        .willReturn(aResponse().withStatus(status).withHeader("Content-Type", XML).withBody(xml)));
  }

  private static String request(String id, String status, String updated, String reference) {
    return "<request><service_request_id>" + id + "</service_request_id><status>" + status
        + "</status><service_code>POT</service_code><requested_datetime>2024-07-01T08:00:00Z"
        + "</requested_datetime><updated_datetime>" + updated + "</updated_datetime>"
        + "<lat>51.45</lat><long>-2.59</long>"
        + (reference == null ? "" : "<extras><civicsync_reference>" + reference
            + "</civicsync_reference></extras>") + "</request>";
  }

  private static NewCase newCase() {
    Report report = Report.builder().id("req-1").serviceCode("potholes")
        .description("Deep hole").location(Location.at("51.4545", "-2.5879"))
        .attribute("fixmystreet_id", "4711").build();
    return new NewCase("create:req-1", "req-1", "POT", Map.of("depth", List.of("12")), report);
  }

  private static FormFields form(LoggedRequest request) {
    return FormFields.parse(request.getBodyAsString().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void createLooksUpTheWindowThenPostsTheReportWithTheReferenceAttribute() {
    answer("GET", "/v2/requests.xml", 200, "<service_requests></service_requests>");
    answer("POST", "/v2/requests.xml", 200, "<service_requests><request><service_request_id>"
        + "5001</service_request_id></request></service_requests>");
    answer("GET", "/v2/requests/5001.xml", 200,
        "<service_requests>" + request("5001", "open", "2024-07-01T09:00:00Z", "req-1")
            + "</service_requests>");

    var created = crm.create(newCase());

    assertThat(created.caseId()).isEqualTo("5001");
    assertThat(created.version()).isEqualTo(NOW.toEpochMilli());
    assertThat(created.alreadyExisted()).isFalse();
    server.verify(getRequestedFor(urlPathEqualTo("/v2/requests.xml"))
        .withQueryParam("jurisdiction_id", equalTo("bristol"))
        .withQueryParam("start_date", equalTo("2024-06-24T09:00:00Z"))
        .withQueryParam("end_date", equalTo("2024-07-01T09:00:00Z"))
        .withQueryParam("api_key", absent()));
    LoggedRequest posted = server.findAll(postRequestedFor(urlPathEqualTo("/v2/requests.xml")))
        .get(0);
    assertThat(posted.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
    assertThat(form(posted).entries()).containsExactly(
        Map.entry("api_key", "k3y"), Map.entry("jurisdiction_id", "bristol"),
        Map.entry("service_code", "POT"), Map.entry("lat", "51.4545"),
        Map.entry("long", "-2.5879"), Map.entry("description", "Deep hole"),
        Map.entry("attribute[fixmystreet_id]", "4711"), Map.entry("attribute[depth]", "12"),
        Map.entry("attribute[civicsync_reference]", "req-1"));
  }

  @Test
  void aRequestAlreadyThereIsAnsweredWithoutPosting() {
    answer("GET", "/v2/requests.xml", 200, "<service_requests>"
        + request("5002", "open", "2024-07-01T08:30:00Z", "req-other")
        + request("5001", "in_progress", "2024-07-01T08:40:00Z", "req-1") + "</service_requests>");

    var created = crm.create(newCase());

    assertThat(created.caseId()).isEqualTo("5001");
    assertThat(created.alreadyExisted()).isTrue();
    server.verify(0, postRequestedFor(urlPathEqualTo("/v2/requests.xml")));
  }

  @Test
  void aNoteIsPostedAsAnUnchangedUpdateWithOurUpdateIdAfterCheckingTheFeed() {
    answer("GET", "/v2/requests/5001.xml", 200, "<service_requests>"
        + request("5001", "open", "2024-07-01T08:00:00Z", "req-1") + "</service_requests>");
    answer("GET", "/v2/servicerequestupdates.xml", 200,
        "<service_request_updates></service_request_updates>");
    answer("POST", "/v2/servicerequestupdates.xml", 200, "<service_request_updates>"
        + "<request_update><update_id>upd-1</update_id></request_update></service_request_updates>");

    var applied = crm.capability(CaseUpdates.class).orElseThrow()
        .apply(CaseUpdate.note("5001", "upd-1", "Crew sent"));

    assertThat(applied.alreadyApplied()).isFalse();
    assertThat(applied.version()).isEqualTo(NOW.toEpochMilli());
    server.verify(getRequestedFor(urlPathEqualTo("/v2/servicerequestupdates.xml"))
        .withQueryParam("api_key", equalTo("k3y"))
        .withQueryParam("start_date", equalTo("2024-06-24T09:00:00Z"))
        .withQueryParam("end_date", equalTo("2024-07-01T09:00:01Z")));
    LoggedRequest posted = server.findAll(
        postRequestedFor(urlPathEqualTo("/v2/servicerequestupdates.xml"))).get(0);
    assertThat(form(posted).entries()).containsExactly(
        Map.entry("api_key", "k3y"), Map.entry("jurisdiction_id", "bristol"),
        Map.entry("service_request_id", "5001"), Map.entry("update_id", "upd-1"),
        Map.entry("status", "UNCHANGED"), Map.entry("updated_datetime", "2024-07-01T09:00:00Z"),
        Map.entry("description", "Crew sent"), Map.entry("service_code", "POT"));
  }

  @Test
  void anUpdateIdAlreadyInTheFeedIsNotPostedAgain() {
    answer("GET", "/v2/requests/5001.xml", 200, "<service_requests>"
        + request("5001", "closed", "2024-07-01T08:50:00Z", "req-1") + "</service_requests>");
    answer("GET", "/v2/servicerequestupdates.xml", 200, "<service_request_updates><request_update>"
        + "<update_id>upd-2</update_id><service_request_id>5001</service_request_id>"
        + "<status>fixed</status><description>Filled</description>"
        + "<updated_datetime>2024-07-01T08:50:00Z</updated_datetime></request_update>"
        + "</service_request_updates>");

    var applied = crm.capability(CaseUpdates.class).orElseThrow().apply(CaseUpdate.close(
        "5001", "upd-2", Status.FIXED, Optional.empty()).withNote("Filled"));

    assertThat(applied.alreadyApplied()).isTrue();
    assertThat(applied.version()).isEqualTo(Instant.parse("2024-07-01T08:50:00Z").toEpochMilli());
    server.verify(0, postRequestedFor(urlPathEqualTo("/v2/servicerequestupdates.xml")));
  }

  @Test
  void theUpdatesFeedListsOfficersNotesWithTheRequestsStateAndReference() {
    answer("GET", "/v2/servicerequestupdates.xml", 200, "<service_request_updates>"
        + "<request_update><update_id>77</update_id><service_request_id>5001</service_request_id>"
        + "<status>in_progress</status><description>Crew booked</description>"
        + "<updated_datetime>2024-07-01T08:10:00Z</updated_datetime></request_update>"
        + "<request_update><update_id>78</update_id><service_request_id>5001</service_request_id>"
        + "<status>fixed</status><description></description>"
        + "<updated_datetime>2024-07-01T08:20:00Z</updated_datetime></request_update>"
        + "</service_request_updates>");
    answer("GET", "/v2/requests.xml", 200, "<service_requests>"
        + request("5001", "closed", "2024-07-01T08:20:00Z", "req-1") + "</service_requests>");
    ChangeFeed feed = crm.capability(ChangeFeed.class).orElseThrow();

    ChangePage page = feed.changesSince(feed.cursorAt(Instant.parse("2024-07-01T08:00:00Z")), 10);

    assertThat(page.changes()).hasSize(2);
    CrmChange note = page.changes().get(0);
    assertThat(note.caseId()).isEqualTo("5001");
    assertThat(note.crmCase().statusCode()).isEqualTo("in_progress");
    assertThat(note.crmCase().closed()).isFalse();
    assertThat(note.crmCase().externalReference()).contains("req-1");
    assertThat(note.note()).hasValueSatisfying(n -> assertThat(n.text()).isEqualTo("Crew booked"));
    assertThat(note.updateId()).contains("77");
    CrmChange fixed = page.changes().get(1);
    assertThat(fixed.crmCase().statusCode()).isEqualTo("fixed");
    assertThat(fixed.crmCase().closed()).isTrue();
    assertThat(fixed.note()).isEmpty();
    assertThat(fixed.version()).isGreaterThan(note.version());
    server.verify(getRequestedFor(urlPathEqualTo("/v2/servicerequestupdates.xml"))
        .withQueryParam("start_date", equalTo("2024-07-01T08:00:00Z"))
        .withQueryParam("end_date", equalTo("2024-07-01T09:00:01Z")));
    server.verify(getRequestedFor(urlPathEqualTo("/v2/requests.xml"))
        .withQueryParam("service_request_id", equalTo("5001")));
    assertThat(page.next().value()).isEqualTo("o311u1:2024-07-01T08:20:00Z|78");
  }

  @Test
  void withoutTheExtensionThereAreNoCaseUpdatesAndTheFeedReReadsRequestsByWindow() {
    crm.close();
    crm = Open311Crm.create("council-open311", settings(false));
    answer("GET", "/v2/requests.xml", 200, "<service_requests>"
        + request("5001", "open", "2024-07-01T08:00:00Z", "req-1")
        + request("5002", "closed", "2024-07-01T08:30:00Z", null) + "</service_requests>");
    ChangeFeed feed = crm.capability(ChangeFeed.class).orElseThrow();

    ChangePage page = feed.changesSince(feed.cursorAt(Instant.parse("2024-07-01T08:15:00Z")), 10);

    assertThat(crm.capability(CaseUpdates.class)).isEmpty();
    assertThat(page.changes()).extracting(CrmChange::caseId).containsExactly("5002");
    assertThat(page.changes().get(0).crmCase().closed()).isTrue();
    server.verify(getRequestedFor(urlPathEqualTo("/v2/requests.xml"))
        .withQueryParam("start_date", equalTo("2024-06-01T09:00:00Z"))
        .withQueryParam("end_date", equalTo("2024-07-01T09:00:00Z")));
    server.verify(0, getRequestedFor(urlPathMatching("/v2/servicerequestupdates.*")));
  }

  @Test
  void aCursorOfTheOtherFeedKeepsItsTimeAndAForeignOneIsPermanent() {
    answer("GET", "/v2/servicerequestupdates.xml", 200,
        "<service_request_updates></service_request_updates>");
    ChangeFeed feed = crm.capability(ChangeFeed.class).orElseThrow();

    feed.changesSince(cursor("o311r1:2024-07-01T08:00:00Z|5001"), 10);

    server.verify(getRequestedFor(urlPathEqualTo("/v2/servicerequestupdates.xml"))
        .withQueryParam("start_date", equalTo("2024-07-01T08:00:00Z")));
    CrmException e = catchThrowableOfType(CrmException.class,
        () -> feed.changesSince(cursor("sn1:1719820800:abc"), 10));
    assertThat(e.kind()).isEqualTo(CrmException.Kind.PERMANENT);
  }

  private static ChangeCursor cursor(String value) {
    return ChangeCursor.of(value);
  }

  @Test
  void errorsAreMappedByStatusAndNameTheBackOfficesDescription() {
    answer("GET", "/v2/requests.xml", 200, "<service_requests></service_requests>");
    answer("POST", "/v2/requests.xml", 400, "<errors><error><code>400</code><description>"
        + "attribute depth must be a number</description></error></errors>");
    CrmException bad = catchThrowableOfType(CrmException.class, () -> crm.create(newCase()));
    assertThat(bad.kind()).isEqualTo(CrmException.Kind.PERMANENT);
    assertThat(bad.getMessage()).contains("attribute depth must be a number").contains("req-1");

    answer("POST", "/v2/requests.xml", 403, "<errors><error><code>403</code><description>"
        + "Invalid api_key</description></error></errors>");
    CrmException refused = catchThrowableOfType(CrmException.class, () -> crm.create(newCase()));
    assertThat(refused.kind()).isEqualTo(CrmException.Kind.AUTHENTICATION);
    assertThat(refused.getMessage()).doesNotContain("k3y");

    answer("POST", "/v2/requests.xml", 200, "<errors><error><code>500</code><description>"
        + "backend said no</description></error></errors>");
    CrmException inside = catchThrowableOfType(CrmException.class, () -> crm.create(newCase()));
    assertThat(inside.kind()).isEqualTo(CrmException.Kind.PERMANENT);

    answer("GET", "/v2/services.xml", 502, "");
    CrmException down = catchThrowableOfType(CrmException.class,
        () -> crm.capability(ServiceCatalogue.class).orElseThrow().services());
    assertThat(down.kind()).isEqualTo(CrmException.Kind.TRANSIENT);
    server.verify(1, getRequestedFor(urlPathEqualTo("/v2/services.xml")));

    answer("GET", "/v2/requests/404404.xml", 404, "<errors><error><code>404</code><description>"
        + "not found</description></error></errors>");
    CrmException missing = catchThrowableOfType(CrmException.class, () -> crm
        .capability(CaseUpdates.class).orElseThrow().apply(CaseUpdate.note("404404", "u", "x")));
    assertThat(missing.kind()).isEqualTo(CrmException.Kind.NOT_FOUND);
    assertThat(missing.caseId()).contains("404404");
  }

  @Test
  void aQueuedBackOfficeIsSettledByPollingItsToken() {
    FakeBackOffice backOffice = new FakeBackOffice("k3y", true, "civicsync_reference");
    WireMockServer queued = new WireMockServer(wireMockConfig().dynamicPort().extensions(backOffice));
    queued.start();
    try {
      queued.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(
          com.github.tomakehurst.wiremock.client.WireMock.anyUrl())
          .willReturn(aResponse().withTransformers(FakeBackOffice.NAME)));
      backOffice.queueCreates();
      Open311Crm adapter = Open311Crm.create("council-open311", Open311CrmSettings
          .withUpdates(queued.baseUrl() + "/open311/v2/", "k3y")
          .withClock(new Open311CrmContractTest.BackOfficeClock(backOffice)));

      CrmException e = catchThrowableOfType(CrmException.class, () -> adapter.create(newCase()));
      assertThat(e.kind()).isEqualTo(CrmException.Kind.OUTCOME_UNKNOWN);
      assertThat(e.getMessage()).contains("token");
      backOffice.workQueue();
      var settled = adapter.findByExternalReference("req-1");

      assertThat(settled).hasValueSatisfying(c -> assertThat(c.caseId())
          .isEqualTo(backOffice.requests().get(0).id));
      assertThat(backOffice.requests()).hasSize(1);
      queued.verify(2, getRequestedFor(urlPathMatching("/open311/v2/tokens/tok-[0-9]+\\.xml")));
    } finally {
      queued.stop();
    }
  }

  @Test
  void theServiceListAndDefinitionsComeFromTheBackOffice() {
    answer("GET", "/v2/services.xml", 200, "<services><service><service_code>POT</service_code>"
        + "<service_name>Potholes</service_name><metadata>true</metadata><type>realtime</type>"
        + "<keywords>private</keywords><group>Roads</group></service></services>");
    answer("GET", "/v2/services/POT.xml", 200, "<service_definition><service_code>POT"
        + "</service_code><attributes><attribute><code>depth</code><datatype>number</datatype>"
        + "<required>true</required><order>1</order><description>Depth</description>"
        + "<variable>true</variable></attribute></attributes></service_definition>");

    List<Service> services = crm.services();

    assertThat(services).singleElement().satisfies(s -> {
      assertThat(s.code()).isEqualTo("POT");
      assertThat(s.isPrivate()).isTrue();
      assertThat(s.groups()).containsExactly("Roads");
    });
    assertThat(crm.serviceDefinition("POT").attributes()).singleElement()
        .satisfies(a -> assertThat(a.code()).isEqualTo("depth"));
    server.verify(getRequestedFor(urlPathEqualTo("/v2/services.xml"))
        .withQueryParam("jurisdiction_id", equalTo("bristol")));
  }

  @Test
  void theProviderIsFoundByTypeAndRejectsAWrongSetting() {
    CrmAdapter adapter = CrmAdapterRegistry.installed().create("open311", "bo", Map.of(
        "endpoint", server.baseUrl() + "/v2/", "api_key", "k3y", "update_extension", false,
        "format", "json", "lookup_window_days", 2));
    assertThat(adapter).isInstanceOf(Open311Crm.class);
    assertThat(adapter.capability(CaseUpdates.class)).isEmpty();
    adapter.close();

    assertThatThrownBy(() -> CrmAdapterRegistry.installed().create("open311", "bo",
        Map.of("endpoint", server.baseUrl(), "update_extensions", true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bo: unknown setting 'update_extensions'");
    assertThatThrownBy(() -> CrmAdapterRegistry.installed().create("open311", "bo",
        Map.of("endpoint", server.baseUrl(), "update_extension", "yes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("update_extension must be true or false");
    assertThatThrownBy(() -> CrmAdapterRegistry.installed().create("open311", "bo",
        Map.of("api_key", "k3y")))
        .hasMessageContaining("'endpoint' is required");
  }
}
