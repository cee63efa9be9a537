package org.civicsync.crm.servicenow;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.time.Duration;
import java.time.ZoneId;
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
 * The ServiceNow adapter against the contract kit: OAuth password grant, incident table, an
 * integration user in Europe/London (in summer, one hour off UTC, so a zone mistake loses rows).
 */
class ServiceNowCrmContractTest extends CrmAdapterContract {
  static final ServiceNowLogin.OAuth LOGIN = new ServiceNowLogin.OAuth("3f1c0a2b9d", "s3cr3t-client",
      Optional.of("civicsync.integration"), Optional.of("pa55-word"));
  static final ZoneId LONDON = ZoneId.of("Europe/London");

  private FakeInstance instance;
  private WireMockServer server;
  private ServiceNowCrm crm;
  private ServiceNowCrm refused;
  private int faults;

  @BeforeEach
  void start() {
    instance = new FakeInstance(LOGIN, LONDON);
    server = new WireMockServer(wireMockConfig().dynamicPort().extensions(instance));
    server.start();
    server.stubFor(any(anyUrl()).atPriority(10)
        .willReturn(aResponse().withTransformers(FakeInstance.NAME)));
    warmUp();
    choice("roads", "Roads", "10", "false");
    choice("street_lighting", "Street lighting", "20", "false");
    choice("graffiti", "Graffiti", "30", "true");
    crm = ServiceNowCrm.create("council-servicenow", settings(LOGIN));
    refused = ServiceNowCrm.create("council-servicenow", settings(new ServiceNowLogin.OAuth(
        LOGIN.clientId(), LOGIN.clientSecret(), LOGIN.user(), Optional.of("wrong-pa55"))));
  }

  @AfterEach
  void stop() {
    crm.close();
    refused.close();
    server.stop();
  }

  /**
   * One unauthenticated call before the test: the first answer of a cold JVM's WireMock can take
   * longer than the 1 s read timeout this test uses (for its timeout check) on a loaded machine.
   */
  private void warmUp() {
    try (okhttp3.Response ignored = new okhttp3.OkHttpClient().newCall(new okhttp3.Request.Builder()
        .url(server.baseUrl() + "/api/now/table/incident").build()).execute()) {
      // a 401 is the expected answer
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void choice(String value, String label, String sequence, String inactive) {
    instance.insert("sys_choice", Map.of("name", "incident", "element", "category",
        "language", "en", "value", value, "label", label, "sequence", sequence,
        "inactive", inactive));
  }

  @Override
  protected Optional<String> listedService() {
    return Optional.of(caseType());
  }

  ServiceNowSettings settings(ServiceNowLogin login) {
    return ServiceNowSettings.incident(HttpUrl.get(server.baseUrl()), login)
        .withUserTimeZone(LONDON).withReadTimeout(Duration.ofSeconds(1))
        .withLocation(new LocationFields(Optional.of("u_latitude"), Optional.of("u_longitude"),
            Optional.of("u_address")));
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
    return (int) instance.records("incident").stream()
        .filter(r -> r.path("correlation_id").asText().equals(externalReference)).count();
  }

  @Override
  protected List<String> raiseCasesAtOneInstant(int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(instance.insert("incident", Map.of("category", caseType(),
          "short_description", "Phoned in")).get("sys_id").asText());
    }
    return ids;
  }

  @Override
  protected List<String> notesOnSystem(String caseId) {
    return instance.records("sys_journal_field").stream()
        .filter(n -> n.path("element_id").asText().equals(caseId))
        .map(n -> n.path("value").asText()).toList();
  }

  @Override
  protected boolean closedOnSystem(String caseId) {
    ObjectNode record = instance.records("incident").stream()
        .filter(r -> r.path("sys_id").asText().equals(caseId)).findFirst().orElseThrow();
    return record.path("state").asText().equals("6")
        && !record.path("close_code").asText().isEmpty()
        && !record.path("close_notes").asText().isEmpty();
  }

  @Override
  protected boolean failNext(Failure failure, CrmOperation during) {
    if (failure == Failure.EXPIRED_TOKEN) {
      instance.expireTokens();
      return true;
    }
    ResponseDefinitionBuilder answer = switch (failure) {
      // ServiceNow documents the 429 with Retry-After (seconds) and X-RateLimit-* headers and
      // an error JSON; the message text here is ours.
      case TOO_MANY_REQUESTS -> aResponse().withStatus(429)
          .withHeader("Retry-After", Long.toString(Failure.RETRY_AFTER.toSeconds()))
          .withHeader("X-RateLimit-Limit", "100").withHeader("X-RateLimit-Reset", "1719828000")
          .withBody("{\"error\":{\"message\":\"Rate limit exceeded\",\"detail\":null},"
              + "\"status\":\"failure\"}");
      // An instance that is down or hibernating answers from its front end, not in JSON.
      case SERVER_ERROR -> aResponse().withStatus(503).withHeader("Content-Type", "text/html")
          .withBody("<html><body>Service Unavailable</body></html>");
      // The request arrives; the answer comes after the adapter stopped waiting.
      case TIMEOUT -> aResponse().withStatus(201).withFixedDelay(3_000);
      case EXPIRED_TOKEN -> throw new AssertionError();
    };
    String scenario = "fault-" + (++faults);
    server.stubFor(request(during).atPriority(1).inScenario(scenario)
        .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("spent").willReturn(answer));
    return true;
  }

  private static MappingBuilder request(CrmOperation operation) {
    return switch (operation) {
      case FIND_CASE -> get(urlPathEqualTo("/api/now/table/incident"))
          .withQueryParam("sysparm_query", containing("correlation_id="));
      case LIST_CHANGES -> get(urlPathEqualTo("/api/now/table/incident"))
          .withQueryParam("sysparm_query", containing("sys_updated_on"));
      case CREATE_CASE -> post(urlPathEqualTo("/api/now/table/incident"));
      case APPLY_UPDATE -> patch(urlPathMatching("/api/now/table/incident/.*"));
      case DESCRIBE_SERVICES -> get(urlPathEqualTo("/api/now/table/sys_choice"));
    };
  }

  @Override
  protected OptionalInt tokensIssued() {
    return OptionalInt.of(instance.tokensIssued());
  }

  @Override
  protected List<String> secrets() {
    return List.of(LOGIN.clientSecret(), LOGIN.password().orElseThrow(), "wrong-pa55");
  }

  @Override
  protected String unknownCaseId() {
    return "0123456789abcdef0123456789abcdef";
  }
}
