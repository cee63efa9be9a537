package org.civicsync.crm.salesforce;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.OptionalInt;
import okhttp3.HttpUrl;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.crm.internal.LocationFields;
import org.civicsync.crm.testkit.CrmAdapterContract;
import org.civicsync.crm.testkit.Failure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The Salesforce adapter against the contract kit, signing in with client credentials. */
class SalesforceCrmContractTest extends CrmAdapterContract {
  static final SalesforceLogin.ClientCredentials LOGIN =
      new SalesforceLogin.ClientCredentials("3MVG9civicsyncKey", "c0nsumer-s3cret");

  FakeOrg org;
  WireMockServer server;
  private SalesforceCrm crm;
  private SalesforceCrm refused;
  private int faults;

  /** The login the org accepts. */
  SalesforceLogin login() {
    return LOGIN;
  }

  /** The same app with credentials the org refuses. */
  SalesforceLogin wrongLogin() {
    return new SalesforceLogin.ClientCredentials(LOGIN.clientId(), "wr0ng-s3cret");
  }

  FakeOrg newOrg() {
    return new FakeOrg(login(), null);
  }

  @BeforeEach
  void start() {
    org = newOrg();
    org.caseType("Pothole", "Pothole", true);
    org.caseType("Street_Light", "Street light out", true);
    org.caseType("Abandoned_Car", "Abandoned car", false);
    server = new WireMockServer(wireMockConfig().dynamicPort().extensions(org));
    server.start();
    server.stubFor(any(anyUrl()).atPriority(10)
        .willReturn(aResponse().withTransformers(FakeOrg.NAME)));
    crm = SalesforceCrm.create("council-salesforce", settings(login()));
    refused = SalesforceCrm.create("council-salesforce", settings(wrongLogin()));
  }

  @AfterEach
  void stop() {
    crm.close();
    refused.close();
    server.stop();
  }

  SalesforceSettings settings(SalesforceLogin login) {
    return SalesforceSettings.of(HttpUrl.get(server.baseUrl()), login)
        .withReadTimeout(Duration.ofSeconds(1))
        .withLocation(new LocationFields(Optional.of("Location__Latitude__s"),
            Optional.of("Location__Longitude__s"), Optional.of("Street_Address__c")));
  }

  @Override
  protected CrmAdapter adapter() {
    return crm;
  }

  @Override
  protected CrmAdapter adapterWithWrongCredentials() {
    return refused;
  }

  @Override
  protected Optional<String> listedService() {
    return Optional.of(caseType());
  }

  @Override
  protected String caseType() {
    return "Pothole";
  }

  @Override
  protected int casesOnSystem(String externalReference) {
    return (int) org.records("Case").stream()
        .filter(r -> r.path("CivicSync_Reference__c").asText().equals(externalReference)).count();
  }

  @Override
  protected List<String> raiseCasesAtOneInstant(int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(org.insertCase(Map.of("Type", caseType(), "Subject", "Phoned in", "Origin", "Phone"))
          .get("Id").asText());
    }
    return ids;
  }

  @Override
  protected List<String> notesOnSystem(String caseId) {
    return org.records("CaseComment").stream()
        .filter(c -> c.path("ParentId").asText().equals(caseId))
        .map(c -> c.path("CommentBody").asText()).toList();
  }

  @Override
  protected boolean closedOnSystem(String caseId) {
    return org.records("Case").stream().filter(r -> r.path("Id").asText().equals(caseId))
        .findFirst().orElseThrow().path("IsClosed").asBoolean();
  }

  @Override
  protected boolean failNext(Failure failure, CrmOperation during) {
    if (failure == Failure.EXPIRED_TOKEN) {
      org.expireTokens();
      return true;
    }
    ResponseDefinitionBuilder answer;
    switch (failure) {
      case TOO_MANY_REQUESTS:
        // The REST API has no 429 with Retry-After: a spent allowance is 403
        // REQUEST_LIMIT_EXCEEDED, checked in SalesforceWireTest.
        return false;
      case SERVER_ERROR:
        answer = aResponse().withStatus(500).withHeader("Content-Type", "application/json")
            .withBody("[{\"message\":\"An unexpected error occurred. Please include this ErrorId"
                + " if you contact support: 1329467012-49510 (-1190212375)\","
                + "\"errorCode\":\"UNKNOWN_EXCEPTION\"}]");
        break;
      case TIMEOUT:
        answer = aResponse().withStatus(201).withFixedDelay(3_000);
        break;
      default:
        throw new AssertionError(failure);
    }
    String scenario = "fault-" + (++faults);
    server.stubFor(request(during).atPriority(1).inScenario(scenario)
        .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("spent").willReturn(answer));
    return true;
  }

  private static MappingBuilder request(CrmOperation operation) {
    return switch (operation) {
      case FIND_CASE -> get(urlPathEqualTo(FakeOrg.DATA + "/query"))
          .withQueryParam("q", containing("CivicSync_Reference__c = "));
      case LIST_CHANGES -> get(urlPathEqualTo(FakeOrg.DATA + "/query"))
          .withQueryParam("q", containing("SystemModstamp >="));
      case CREATE_CASE -> patch(urlPathMatching(FakeOrg.DATA + "/sobjects/Case/CivicSync_Key__c/.*"));
      case APPLY_UPDATE -> patch(urlPathMatching(FakeOrg.DATA + "/sobjects/Case/500.*"));
      case DESCRIBE_SERVICES -> get(urlPathEqualTo(FakeOrg.DATA + "/sobjects/Case/describe"));
    };
  }

  @Override
  protected OptionalInt tokensIssued() {
    return OptionalInt.of(org.tokensIssued());
  }

  @Override
  protected List<String> secrets() {
    return List.of(LOGIN.clientSecret(), "wr0ng-s3cret");
  }

  @Override
  protected String unknownCaseId() {
    return "500Ak00000NoSuchAAA";
  }
}
