package org.civicsync.crm.servicenow;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.civicsync.core.model.Contact;
import org.civicsync.core.model.Location;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.Status;
import org.civicsync.core.spi.CaseDetails;
import org.civicsync.core.spi.CaseUpdate;
import org.civicsync.core.spi.ChangeFeed;
import org.civicsync.core.spi.ChangePage;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.core.spi.NewCase;
import org.civicsync.crm.testkit.DetailsAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What goes over the wire to ServiceNow, checked on the requests that reached WireMock. */
class ServiceNowWireTest {
  private final FakeInstance instance =
      new FakeInstance(ServiceNowCrmContractTest.LOGIN, ServiceNowCrmContractTest.LONDON);
  private final WireMockServer server =
      new WireMockServer(wireMockConfig().dynamicPort().extensions(instance));
  private CrmAdapter crm;

  @BeforeEach
  void start() {
    server.start();
    server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(FakeInstance.NAME)));
    // Built the way the connector builds it: from configuration, through ServiceLoader.
    crm = CrmAdapterRegistry.installed().create("servicenow", "council-servicenow", Map.of(
        "instance_url", server.baseUrl(), "auth", "oauth",
        "client_id", "3f1c0a2b9d", "client_secret", "s3cr3t-client",
        "user", "civicsync.integration", "password", "pa55-word",
        "user_time_zone", "Europe/London", "note_field", "work_notes"));
  }

  @AfterEach
  void stop() {
    crm.close();
    server.stop();
  }

  @Test
  void passwordGrantIsPostedAsAFormAndTheTokenIsUsedAsBearer() {
    crm.capability(ChangeFeed.class).orElseThrow().changesSince(
        crm.capability(ChangeFeed.class).orElseThrow().beginning(), 5);

    server.verify(1, postRequestedFor(urlPathEqualTo("/oauth_token.do"))
        .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded"))
        .withRequestBody(equalTo("grant_type=password&client_id=3f1c0a2b9d"
            + "&client_secret=s3cr3t-client&username=civicsync.integration&password=pa55-word")));
    server.verify(getRequestedFor(urlPathEqualTo("/api/now/table/incident"))
        .withHeader("Authorization", equalTo("Bearer tok-1")));
  }

  @Test
  void changesAreAskedForByKeysetInTheUsersZoneWithStoredValues() {
    instance.insert("incident", Map.of("category", "roads"));
    instance.insert("incident", Map.of("category", "roads"));
    ChangeFeed feed = crm.capability(ChangeFeed.class).orElseThrow();

    ChangePage first = feed.changesSince(feed.beginning(), 1);
    feed.changesSince(first.next(), 1);

    String sysId = first.changes().get(0).caseId();
    // 09:00:00Z is 10:00:00 in London in July; the epoch is 01:00:00 there (BST all of 1970).
    server.verify(getRequestedFor(urlPathEqualTo("/api/now/table/incident"))
        .withQueryParam("sysparm_query",
            equalTo("sys_updated_on>=1970-01-01 01:00:00^ORDERBYsys_updated_on^ORDERBYsys_id"))
        .withQueryParam("sysparm_limit", equalTo("2"))
        .withQueryParam("sysparm_display_value", equalTo("false")));
    server.verify(getRequestedFor(urlPathEqualTo("/api/now/table/incident"))
        .withQueryParam("sysparm_query", equalTo("sys_updated_on>2024-07-01 10:00:00"
            + "^NQsys_updated_on=2024-07-01 10:00:00^sys_id>" + sysId
            + "^ORDERBYsys_updated_on^ORDERBYsys_id")));
  }

  @Test
  void createLooksUpTheCorrelationIdThenPostsAndCloseResolvesWithCodeAndNotes() {
    Report report = Report.builder().title("Pothole").description("Deep one").build();
    String caseId = crm.capability(org.civicsync.core.spi.CaseCreation.class).orElseThrow()
        .create(new NewCase("fms-1", "req-1", "roads", Map.of("u_ward", List.of("Ashley")), report))
        .caseId();
    crm.capability(org.civicsync.core.spi.CaseUpdates.class).orElseThrow().apply(
        CaseUpdate.close(caseId, "upd-1", Status.FIXED, Optional.empty()).withNote("Filled"));

    server.verify(getRequestedFor(urlPathEqualTo("/api/now/table/incident"))
        .withQueryParam("sysparm_query", equalTo("correlation_id=req-1^ORDERBYsys_created_on"))
        .withQueryParam("sysparm_limit", equalTo("1")));
    server.verify(postRequestedFor(urlPathEqualTo("/api/now/table/incident"))
        .withRequestBody(equalToJson("{\"short_description\":\"Pothole\",\"description\":"
            + "\"Deep one\",\"category\":\"roads\",\"correlation_id\":\"req-1\","
            + "\"correlation_display\":\"CivicSync\",\"u_ward\":\"Ashley\"}")));
    server.verify(patchRequestedFor(urlPathEqualTo("/api/now/table/incident/" + caseId))
        .withRequestBody(equalToJson("{\"work_notes\":\"Filled\\n[civicsync:upd-1]\","
            + "\"state\":\"6\",\"close_code\":\"Solved (Permanently)\","
            + "\"close_notes\":\"Filled\\n[civicsync:upd-1]\"}")));
    assertThat(server.findAll(getRequestedFor(urlPathEqualTo("/api/now/table/sys_journal_field"))))
        .singleElement().satisfies(r -> assertThat(r.queryParameter("sysparm_query").firstValue())
            .isEqualTo("element_id=" + caseId + "^element=work_notes^valueLIKE[civicsync:upd-1]"));
  }

  @Test
  void detailsReadTheRecordBySysIdAskingOnlyForTitleDescriptionAndCreationTime() {
    String sysId = instance.insert("incident", Map.of("category", "waste",
        "short_description", "Fly-tipping", "description", "Mattress by the gate",
        "caller_id", "681ccaf9c0a8016400b98a06818d57c7")).get("sys_id").asText();

    Optional<Report> details = crm.capability(CaseDetails.class).orElseThrow().details(sysId);

    DetailsAssertions.flyTippingWithoutLocation(details);
    // Stored values, and no caller, location or other field: only what the report needs.
    server.verify(1, getRequestedFor(urlPathEqualTo("/api/now/table/incident/" + sysId))
        .withQueryParam("sysparm_fields", equalTo("short_description,description,sys_created_on"))
        .withQueryParam("sysparm_display_value", equalTo("false")));
  }

  @Test
  void configuredLocationFieldsAreWrittenOnCreateAndReadBackByDetails() {
    crm.close();
    crm = CrmAdapterRegistry.installed().create("servicenow", "council-servicenow", Map.of(
        "instance_url", server.baseUrl(), "auth", "oauth",
        "client_id", "3f1c0a2b9d", "client_secret", "s3cr3t-client",
        "user", "civicsync.integration", "password", "pa55-word",
        "latitude_field", "u_latitude", "longitude_field", "u_longitude",
        "address_field", "u_address"));
    Report report = Report.builder().description("Deep one")
        .location(Location.at("51.4545", "-2.5879").withAddress("12 Acacia Avenue"))
        .contact(Contact.of("Ada", "Lovelace", "ada@example.org", "07700 900123")).build();

    String caseId = crm.capability(org.civicsync.core.spi.CaseCreation.class).orElseThrow()
        .create(new NewCase("fms-2", "req-2", "roads", Map.of(), report)).caseId();
    Optional<Report> details = crm.capability(CaseDetails.class).orElseThrow().details(caseId);

    server.verify(postRequestedFor(urlPathEqualTo("/api/now/table/incident"))
        .withRequestBody(equalToJson("{\"short_description\":\"Deep one\",\"description\":"
            + "\"Deep one\",\"category\":\"roads\",\"correlation_id\":\"req-2\","
            + "\"correlation_display\":\"CivicSync\",\"u_latitude\":\"51.4545\","
            + "\"u_longitude\":\"-2.5879\",\"u_address\":\"12 Acacia Avenue\"}")));
    server.verify(1, getRequestedFor(urlPathEqualTo("/api/now/table/incident/" + caseId))
        .withQueryParam("sysparm_fields", equalTo("short_description,description,sys_created_on,"
            + "u_latitude,u_longitude,u_address")));
    assertThat(details).hasValueSatisfying(r -> {
      assertThat(r.location()).isEqualTo(
          Location.at("51.4545", "-2.5879").withAddress("12 Acacia Avenue"));
      assertThat(r.description()).contains("Deep one");
      assertThat(r.contact()).isEqualTo(Contact.NONE);
    });
  }

  @Test
  void aLatitudeFieldWithoutALongitudeFieldIsRefused() {
    Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> CrmAdapterRegistry
        .installed().create("servicenow", "council-servicenow", Map.of(
            "instance_url", server.baseUrl(), "auth", "basic", "user", "u", "password", "p",
            "latitude_field", "u_latitude")));

    assertThat(e).isInstanceOf(IllegalArgumentException.class).hasMessage("council-servicenow:"
        + " the latitude and the longitude field go together: a point needs both");
  }

  @Test
  void detailsOfAnUnknownRecordAreEmptyAndAnIdThatIsNoSysIdIsNotAskedFor() {
    CaseDetails details = crm.capability(CaseDetails.class).orElseThrow();

    assertThat(details.details("0123456789abcdef0123456789abcdef")).isEmpty();
    assertThat(details.details("INC0010001")).isEmpty();

    server.verify(1, getRequestedFor(
        urlPathEqualTo("/api/now/table/incident/0123456789abcdef0123456789abcdef")));
    server.verify(0, getRequestedFor(urlPathEqualTo("/api/now/table/incident/INC0010001")));
  }
}
