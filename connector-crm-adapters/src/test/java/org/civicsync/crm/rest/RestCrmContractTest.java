package org.civicsync.crm.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.crm.testkit.CrmAdapterContract;
import org.civicsync.crm.testkit.Failure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/**
 * The REST adapter against the contract kit, configured twice for the two dialects of
 * {@link FakeCaseApi}: nothing but the settings differs, so passing both shows that the
 * configuration, not code, fits the adapter to the CRM. The tickets dialect issues no tokens,
 * so the kit's token refresh check is skipped there.
 */
class RestCrmContractTest {

  /** OAuth client credentials, next links, Idempotency-Key, notes with an update id field. */
  @Nested
  class CasesApi extends Contract {
    CasesApi() {
      super(FakeCaseApi.Dialect.CASES, RestConfigs.CASES, FakeCaseApi.CLIENT_SECRET, "c-999999");
    }

    @Override
    protected OptionalInt tokensIssued() {
      return OptionalInt.of(fake.tokensIssued());
    }
  }

  /** An API key, Link-header paging, lookup-then-create, markers in comment text, no versions. */
  @Nested
  class TicketsApi extends Contract {
    TicketsApi() {
      super(FakeCaseApi.Dialect.TICKETS, RestConfigs.TICKETS, FakeCaseApi.API_KEY, "999999");
    }
  }

  abstract static class Contract extends CrmAdapterContract {
    private final FakeCaseApi.Dialect dialect;
    private final String yaml;
    private final String secret;
    private final String unknownId;
    FakeCaseApi fake;
    private WireMockServer server;
    private RestCrm crm;
    private RestCrm refused;
    private int faults;

    Contract(FakeCaseApi.Dialect dialect, String yaml, String secret, String unknownId) {
      this.dialect = dialect;
      this.yaml = yaml;
      this.secret = secret;
      this.unknownId = unknownId;
    }

    @BeforeEach
    void start() {
      fake = new FakeCaseApi(dialect);
      server = new WireMockServer(wireMockConfig().dynamicPort().extensions(fake));
      server.start();
      server.stubFor(any(anyUrl()).atPriority(10)
          .willReturn(aResponse().withTransformers(FakeCaseApi.NAME)));
      crm = RestCrm.create("council-cases",
          RestProvider.read("council-cases", RestConfigs.settings(yaml, server.baseUrl(), secret)));
      refused = RestCrm.create("council-cases", RestProvider.read("council-cases",
          RestConfigs.settings(yaml, server.baseUrl(), "wr0ng-s3cret")));
    }

    @AfterEach
    void stop() {
      crm.close();
      refused.close();
      server.stop();
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
      return "potholes";
    }

    @Override
    protected int casesOnSystem(String externalReference) {
      return (int) fake.cases().stream().filter(c -> externalReference.equals(c.reference))
          .count();
    }

    @Override
    protected List<String> raiseCasesAtOneInstant(int count) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ids.add(fake.raise(caseType()).id);
      }
      return ids;
    }

    @Override
    protected List<String> notesOnSystem(String caseId) {
      return fake.cases().stream().filter(c -> c.id.equals(caseId)).findFirst().orElseThrow()
          .notes.stream().map(n -> n[0]).toList();
    }

    @Override
    protected boolean closedOnSystem(String caseId) {
      String status = fake.cases().stream().filter(c -> c.id.equals(caseId)).findFirst()
          .orElseThrow().status;
      return List.of("resolved", "closed", "DONE", "REJECTED").contains(status);
    }

    @Override
    protected List<String> secrets() {
      return List.of(secret, "wr0ng-s3cret");
    }

    @Override
    protected String unknownCaseId() {
      return unknownId;
    }

    @Override
    protected boolean failNext(Failure failure, CrmOperation during) {
      if (failure == Failure.EXPIRED_TOKEN) {
        if (dialect != FakeCaseApi.Dialect.CASES) {
          return false;
        }
        fake.expireTokens();
        return true;
      }
      ResponseDefinitionBuilder answer = switch (failure) {
        case TOO_MANY_REQUESTS -> aResponse().withStatus(429)
            .withHeader("Retry-After", Long.toString(Failure.RETRY_AFTER.toSeconds()))
            .withHeader("Content-Type", "application/json")
            .withBody("{\"error\":{\"code\":\"rate_limited\",\"message\":\"Slow down\"}}");
        case SERVER_ERROR -> aResponse().withStatus(502).withHeader("Content-Type", "text/html")
            .withBody("<html><body>Bad Gateway</body></html>");
        case TIMEOUT -> aResponse().withStatus(201).withFixedDelay(5_000);
        case EXPIRED_TOKEN -> throw new AssertionError();
      };
      server.stubFor(request(during).atPriority(1).inScenario("fault-" + (++faults))
          .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("spent").willReturn(answer));
      return true;
    }

    private MappingBuilder request(CrmOperation operation) {
      String list = dialect == FakeCaseApi.Dialect.CASES ? "/api/v2/cases" : "/v1/tickets";
      return switch (operation) {
        case FIND_CASE -> get(urlPathEqualTo(list)).withQueryParam(
            dialect == FakeCaseApi.Dialect.CASES ? "external_ref" : "reference", matching(".*"));
        case LIST_CHANGES -> get(urlPathEqualTo(list)).withQueryParam(
            dialect == FakeCaseApi.Dialect.CASES ? "updated_since" : "changedSince",
            matching(".*"));
        case CREATE_CASE -> post(urlPathEqualTo(list));
        case APPLY_UPDATE -> dialect == FakeCaseApi.Dialect.CASES
            ? patch(urlPathMatching(list + "/.*")) : put(urlPathMatching(list + "/.*"));
        case DESCRIBE_SERVICES -> throw new IllegalArgumentException("no service catalogue");
      };
    }
  }
}
