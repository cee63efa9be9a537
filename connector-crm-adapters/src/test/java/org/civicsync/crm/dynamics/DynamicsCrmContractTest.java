package org.civicsync.crm.dynamics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import okhttp3.HttpUrl;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.crm.internal.LocationFields;
import org.civicsync.crm.testkit.CrmAdapterContract;
import org.civicsync.crm.testkit.Failure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The Dynamics 365 adapter against the contract kit: Entra ID client credentials from a loopback
 * token endpoint, {@code incident} with the {@code new_externalreference} alternate key, and a
 * page size of 2 so that the feed's pages are followed by {@code @odata.nextLink}.
 */
class DynamicsCrmContractTest extends CrmAdapterContract {
  static final String TENANT = "7f3c1a52-9d0e-4b1a-8c55-0d2e4f6a8b90";
  static final String CLIENT_ID = "51f81489-12ee-4a9e-aaae-a2591f45987d";
  static final String CLIENT_SECRET = "Qx~8Q~s3cr3t-v4lue.from.entra";
  static final String WRONG_SECRET = "Qx~8Q~wr0ng-v4lue";
  static final String CUSTOMER = "accounts(a1b2c3d4-0000-4000-8000-00000000c0c1)";

  FakeDataverse dataverse;
  WireMockServer server;
  private DynamicsCrm crm;
  private DynamicsCrm refused;
  private int faults;

  @BeforeEach
  void start() {
    dataverse = new FakeDataverse(TENANT, CLIENT_ID, CLIENT_SECRET);
    server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
        .extensions(dataverse));
    server.start();
    server.stubFor(any(anyUrl()).atPriority(10)
        .willReturn(aResponse().withTransformers(FakeDataverse.NAME)));
    crm = DynamicsCrm.create("council-dynamics", settings(CLIENT_SECRET));
    refused = DynamicsCrm.create("council-dynamics", settings(WRONG_SECRET));
  }

  @AfterEach
  void stop() {
    crm.close();
    refused.close();
    server.stop();
  }

  DynamicsSettings settings(String secret) {
    HttpUrl environment = HttpUrl.get(server.baseUrl());
    EntraLogin login = EntraLogin.of(environment, TENANT, CLIENT_ID, secret)
        .withLoginUrl(environment);
    return DynamicsSettings.of(environment, login, CUSTOMER).withPageSize(2)
        .withReadTimeout(Duration.ofSeconds(3)) // the first call warms a loaded machine up
        .withLocation(new LocationFields(Optional.of("new_latitude"),
            Optional.of("new_longitude"), Optional.of("new_address")));
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
  protected String caseType() {
    return "roads";
  }

  @Override
  protected int casesOnSystem(String externalReference) {
    return (int) dataverse.incidents().stream()
        .filter(r -> r.path(FakeDataverse.KEY_COLUMN).asText().equals(externalReference)).count();
  }

  @Override
  protected List<String> raiseCasesAtOneInstant(int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(dataverse.insertIncident(Map.of("new_category", caseType(), "title", "Phoned in"))
          .get("incidentid").asText());
    }
    return ids;
  }

  @Override
  protected List<String> notesOnSystem(String caseId) {
    return dataverse.annotations().stream()
        .filter(n -> n.path("_objectid_value").asText().equals(caseId))
        .map(n -> n.path("notetext").asText()).toList();
  }

  @Override
  protected boolean closedOnSystem(String caseId) {
    ObjectNode row = dataverse.incidents().stream()
        .filter(r -> r.path("incidentid").asText().equals(caseId)).findFirst().orElseThrow();
    return row.path("statecode").asInt() == 1 && dataverse.resolutions().stream().anyMatch(
        r -> r.path("incidentid@odata.bind").asText().equals("/incidents(" + caseId + ")"));
  }

  @Override
  protected boolean failNext(Failure failure, CrmOperation during) {
    if (failure == Failure.EXPIRED_TOKEN) {
      dataverse.expireTokens();
      return true;
    }
    ResponseDefinitionBuilder answer = switch (failure) {
      // Service protection limits: 429 with Retry-After in seconds and one of three documented
      // error codes (0x80072322: number of requests).
      case TOO_MANY_REQUESTS -> aResponse().withStatus(429)
          .withHeader("Retry-After", Long.toString(Failure.RETRY_AFTER.toSeconds()))
          .withHeader("Content-Type", "application/json; odata.metadata=minimal")
          .withBody("{\"error\":{\"code\":\"0x80072322\",\"message\":\"Number of requests"
              + " exceeded the limit of 6000 over time window of 300 seconds.\"}}");
      case SERVER_ERROR -> aResponse().withStatus(503).withHeader("Content-Type", "text/html")
          .withBody("<html><body>Service Unavailable</body></html>");
      // The request arrives; the answer comes after the adapter stopped waiting.
      case TIMEOUT -> aResponse().withStatus(204).withFixedDelay(5_000);
      case EXPIRED_TOKEN -> throw new AssertionError();
    };
    String scenario = "fault-" + (++faults);
    server.stubFor(request(during).atPriority(1).inScenario(scenario)
        .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("spent").willReturn(answer));
    return true;
  }

  private static MappingBuilder request(CrmOperation operation) {
    String incidents = FakeDataverse.API + "incidents";
    return switch (operation) {
      case FIND_CASE -> get(urlPathMatching(incidents + "\\(new_externalreference=.*\\)"));
      case LIST_CHANGES -> get(urlPathEqualTo(incidents));
      case CREATE_CASE -> patch(urlPathMatching(incidents + "\\(new_externalreference=.*\\)"));
      case APPLY_UPDATE -> patch(urlPathMatching(incidents + "\\([0-9a-f-]{36}\\)"));
      case DESCRIBE_SERVICES -> throw new IllegalArgumentException("no service catalogue");
    };
  }

  @Override
  protected OptionalInt tokensIssued() {
    return OptionalInt.of(dataverse.tokensIssued());
  }

  @Override
  protected List<String> secrets() {
    return List.of(CLIENT_SECRET, WRONG_SECRET);
  }

  @Override
  protected String unknownCaseId() {
    return "5d3c5f1e-0000-4000-8000-000000000404";
  }
}
