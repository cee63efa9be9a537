package org.civicsync.crm.salesforce;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.civicsync.core.model.Contact;
import org.civicsync.core.model.Location;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.Status;
import org.civicsync.core.spi.CaseCreation;
import org.civicsync.core.spi.CaseDetails;
import org.civicsync.core.spi.CaseLookup;
import org.civicsync.core.spi.CaseUpdate;
import org.civicsync.core.spi.CaseUpdates;
import org.civicsync.core.spi.ChangeFeed;
import org.civicsync.core.spi.ChangePage;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.NewCase;
import org.civicsync.crm.testkit.DetailsAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What goes over the wire to Salesforce, checked on the requests that reached WireMock. */
class SalesforceWireTest {
  private final FakeOrg org = new FakeOrg(SalesforceCrmContractTest.LOGIN, null);
  private final WireMockServer server =
      new WireMockServer(wireMockConfig().dynamicPort().extensions(org));
  private CrmAdapter crm;

  @BeforeEach
  void start() {
    server.start();
    server.stubFor(any(anyUrl()).atPriority(10)
        .willReturn(aResponse().withTransformers(FakeOrg.NAME)));
    // Built the way the connector builds it: from configuration, through ServiceLoader.
    crm = CrmAdapterRegistry.installed().create("salesforce", "council-salesforce", Map.of(
        "instance_url", server.baseUrl(), "auth", "client_credentials",
        "client_id", "3MVG9civicsyncKey", "client_secret", "c0nsumer-s3cret",
        "query_batch_size", 200, "api_quota_ceiling", 0.9));
  }

  @AfterEach
  void stop() {
    crm.close();
    server.stop();
  }

  @Test
  void clientCredentialsArePostedAsAFormAndCreateIsAnUpsertOnTheExternalId() {
    Report report = Report.builder().title("Pothole").description("Deep one").build();
    crm.capability(CaseCreation.class).orElseThrow().create(new NewCase("fms-1", "req-1",
        "Pothole", Map.of("Ward__c", List.of("Ashley")), report));

    server.verify(1, postRequestedFor(urlPathEqualTo("/services/oauth2/token"))
        .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded"))
        .withRequestBody(equalTo("grant_type=client_credentials&client_id=3MVG9civicsyncKey"
            + "&client_secret=c0nsumer-s3cret")));
    server.verify(patchRequestedFor(
        urlPathEqualTo("/services/data/v60.0/sobjects/Case/CivicSync_Key__c/fms-1"))
        .withHeader("Authorization", equalTo("Bearer 00DAk000000Abc!AQ.tok1"))
        .withRequestBody(equalToJson("{\"Subject\":\"Pothole\",\"Description\":\"Deep one\","
            + "\"Origin\":\"Web\",\"Type\":\"Pothole\",\"CivicSync_Reference__c\":\"req-1\","
            + "\"Ward__c\":\"Ashley\"}")));
  }

  @Test
  void changesAreAKeysetSoqlQueryAndLargePagesFollowNextRecordsUrl() {
    for (int i = 0; i < 250; i++) {
      org.insertCase(Map.of("Type", "Pothole"));
    }
    ChangeFeed feed = crm.capability(ChangeFeed.class).orElseThrow();

    ChangePage first = feed.changesSince(feed.beginning(), 240);
    ChangePage rest = feed.changesSince(first.next(), 240);

    assertThat(first.changes()).hasSize(240);
    assertThat(first.more()).isTrue();
    assertThat(rest.changes()).hasSize(10);
    assertThat(rest.more()).isFalse();
    String lastId = first.changes().get(239).caseId();
    String fields = "SELECT Id, CaseNumber, Type, Status, IsClosed, CivicSync_Reference__c, "
        + "CivicSync_Update__c, SystemModstamp FROM Case WHERE ";
    server.verify(getRequestedFor(urlPathEqualTo("/services/data/v60.0/query"))
        .withHeader("Sforce-Query-Options", equalTo("batchSize=200"))
        .withQueryParam("q", equalTo(fields + "SystemModstamp >= 1970-01-01T00:00:00Z"
            + " ORDER BY SystemModstamp, Id LIMIT 241")));
    server.verify(getRequestedFor(urlPathEqualTo("/services/data/v60.0/query"))
        .withQueryParam("q", equalTo(fields + "SystemModstamp >= 2024-07-01T09:00:00Z AND "
            + "(SystemModstamp > 2024-07-01T09:00:00Z OR Id > '" + lastId + "')"
            + " ORDER BY SystemModstamp, Id LIMIT 241")));
    // 241 rows in batches of 200: the first page needed the nextRecordsUrl once.
    server.verify(1, getRequestedFor(urlPathMatching("/services/data/v60.0/query/01g.*-200")));
  }

  @Test
  void aPageOfWholeBatchesTakesNoFurtherBatchJustToSeeThatThereIsMore() {
    for (int i = 0; i < 450; i++) {
      org.insertCase(Map.of("Type", "Pothole"));
    }
    ChangeFeed feed = crm.capability(ChangeFeed.class).orElseThrow();

    ChangePage first = feed.changesSince(feed.beginning(), 400);
    ChangePage rest = feed.changesSince(first.next(), 400);

    assertThat(first.changes()).hasSize(400);
    assertThat(first.more()).isTrue();
    assertThat(rest.changes()).hasSize(50);
    assertThat(rest.more()).isFalse();
    assertThat(first.changes().stream().map(c -> c.caseId()))
        .doesNotContainAnyElementsOf(rest.changes().stream().map(c -> c.caseId()).toList());
    // LIMIT 401 in batches of 200: two batches fill the page; the third, holding only the 401st
    // row, is never fetched, since the second batch's done=false says there is more.
    server.verify(2, getRequestedFor(urlPathEqualTo("/services/data/v60.0/query"))
        .withQueryParam("q", matching("SELECT .* FROM Case WHERE .*")));
    server.verify(1, getRequestedFor(urlPathMatching("/services/data/v60.0/query/01g.*-200")));
    // and the pages' published comments, 250 case ids per query: 400 ids take 2, then 50 take 1
    server.verify(3, getRequestedFor(urlPathEqualTo("/services/data/v60.0/query"))
        .withQueryParam("q", matching("SELECT .* FROM CaseComment WHERE IsPublished = true .*")));
    server.verify(0, getRequestedFor(urlPathMatching("/services/data/v60.0/query/01g.*-400")));
  }

  @Test
  void aCloseWritesACaseCommentThenStampsTheCaseWithAClosedStatus() {
    String caseId = crm.capability(CaseCreation.class).orElseThrow().create(new NewCase("fms-2",
        "req-2", "Pothole", Map.of(), Report.builder().description("Deep").build())).caseId();

    crm.capability(CaseUpdates.class).orElseThrow().apply(
        CaseUpdate.close(caseId, "upd-1", Status.FIXED, Optional.empty()).withNote("Filled"));

    server.verify(getRequestedFor(urlPathEqualTo("/services/data/v60.0/query"))
        .withQueryParam("q", equalTo("SELECT Id, CommentBody FROM CaseComment WHERE ParentId = '"
            + caseId + "' ORDER BY CreatedDate, Id")));
    server.verify(postRequestedFor(urlPathEqualTo("/services/data/v60.0/sobjects/CaseComment"))
        .withRequestBody(equalToJson("{\"ParentId\":\"" + caseId + "\",\"CommentBody\":"
            + "\"Filled\\n[civicsync:upd-1]\",\"IsPublished\":false}")));
    server.verify(patchRequestedFor(urlPathEqualTo("/services/data/v60.0/sobjects/Case/" + caseId))
        .withRequestBody(equalToJson(
            "{\"CivicSync_Update__c\":\"upd-1\",\"Status\":\"Closed\"}")));
  }

  @Test
  void aSpentDailyAllowanceIsTransientAndNotRetriedSooner() {
    server.stubFor(get(urlPathEqualTo("/services/data/v60.0/query")).atPriority(1)
        .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
            .withBody("[{\"message\":\"TotalRequests Limit exceeded.\","
                + "\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]")));

    CrmException e = catchThrowableOfType(CrmException.class,
        () -> crm.capability(CaseLookup.class).orElseThrow().findByExternalReference("req-3"));

    assertThat(e.kind()).isEqualTo(CrmException.Kind.TRANSIENT);
    assertThat(e.retryAfter()).contains(Duration.ofMinutes(15));
    assertThat(e.getMessage()).contains("REQUEST_LIMIT_EXCEEDED");
  }

  @Test
  void aboveTheQuotaCeilingTheAdapterStopsCallingTheOrg() {
    org.apiUsage(13_600, 15_000); // 90.7 % of the day's allowance
    CaseLookup lookup = crm.capability(CaseLookup.class).orElseThrow();
    lookup.findByExternalReference("req-4"); // this answer carries the usage

    CrmException e = catchThrowableOfType(CrmException.class,
        () -> lookup.findByExternalReference("req-4"));

    assertThat(e.kind()).isEqualTo(CrmException.Kind.TRANSIENT);
    assertThat(e.getMessage()).contains("api-usage=13601/15000");
    assertThat(e.retryAfter()).hasValueSatisfying(d -> assertThat(d).isPositive());
    server.verify(1, getRequestedFor(urlPathEqualTo("/services/data/v60.0/query")));
  }

  @Test
  void detailsReadTheCaseByIdAskingOnlyForSubjectDescriptionAndCreatedDate() {
    String id = org.insertCase(Map.of("Type", "Fly-tipping", "Subject", "Fly-tipping",
        "Description", "Mattress by the gate", "SuppliedEmail", "resident@example.org",
        "SuppliedPhone", "07700 900123")).get("Id").asText();

    Optional<Report> details = crm.capability(CaseDetails.class).orElseThrow().details(id);

    DetailsAssertions.flyTippingWithoutLocation(details);
    // Only the report's fields: no ContactId, SuppliedName, SuppliedEmail or SuppliedPhone.
    server.verify(1, getRequestedFor(urlPathEqualTo("/services/data/v60.0/sobjects/Case/" + id))
        .withQueryParam("fields", equalTo("Subject,Description,CreatedDate")));
  }

  @Test
  void configuredLocationFieldsAreWrittenByTheUpsertAndReadBackByDetails() {
    crm.close();
    crm = CrmAdapterRegistry.installed().create("salesforce", "council-salesforce", Map.of(
        "instance_url", server.baseUrl(), "auth", "client_credentials",
        "client_id", "3MVG9civicsyncKey", "client_secret", "c0nsumer-s3cret",
        "latitude_field", "Location__Latitude__s", "longitude_field", "Location__Longitude__s",
        "address_field", "Street_Address__c"));
    Report report = Report.builder().description("Deep one")
        .location(Location.at("51.4545", "-2.5879").withAddress("12 Acacia Avenue"))
        .contact(Contact.of("Ada", "Lovelace", "ada@example.org", "07700 900123")).build();

    String id = crm.capability(CaseCreation.class).orElseThrow()
        .create(new NewCase("fms-2", "req-2", "Pothole", Map.of(), report)).caseId();
    Optional<Report> details = crm.capability(CaseDetails.class).orElseThrow().details(id);

    server.verify(patchRequestedFor(
        urlPathEqualTo("/services/data/v60.0/sobjects/Case/CivicSync_Key__c/fms-2"))
        .withRequestBody(equalToJson("{\"Subject\":\"Deep one\",\"Description\":\"Deep one\","
            + "\"Origin\":\"Web\",\"Type\":\"Pothole\",\"Location__Latitude__s\":51.4545,"
            + "\"Location__Longitude__s\":-2.5879,\"Street_Address__c\":\"12 Acacia Avenue\","
            + "\"CivicSync_Reference__c\":\"req-2\"}")));
    server.verify(1, getRequestedFor(urlPathEqualTo("/services/data/v60.0/sobjects/Case/" + id))
        .withQueryParam("fields", equalTo("Subject,Description,CreatedDate,"
            + "Location__Latitude__s,Location__Longitude__s,Street_Address__c")));
    DetailsAssertions.atAcaciaAvenueWithoutContact(details);
  }

  @Test
  void detailsOfAnUnknownCaseAreEmptyAndAnIdThatIsNoRecordIdIsNotAskedFor() {
    CaseDetails details = crm.capability(CaseDetails.class).orElseThrow();

    assertThat(details.details("500Ak0000NoSuchAAA")).isEmpty();
    assertThat(details.details("00001001")).isEmpty();

    server.verify(1, getRequestedFor(
        urlPathEqualTo("/services/data/v60.0/sobjects/Case/500Ak0000NoSuchAAA")));
    server.verify(0,
        getRequestedFor(urlPathEqualTo("/services/data/v60.0/sobjects/Case/00001001")));
  }
}
