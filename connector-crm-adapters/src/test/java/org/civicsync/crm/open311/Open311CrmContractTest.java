package org.civicsync.crm.open311;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.civicsync.core.model.Location;
import org.civicsync.core.model.Report;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.core.spi.NewCase;
import org.civicsync.crm.testkit.CrmAdapterContract;
import org.civicsync.crm.testkit.Failure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The Open311 pass-through adapter against the contract kit, on a loopback GeoReport v2 back
 * office with the update extension ({@link FakeBackOffice}). Skipped, and why: the token refresh
 * check (an api_key is not a token that expires), and wrong credentials on a lookup (GeoReport v2
 * reads are public; the api_key guards POSTs, which {@code Open311CrmWireTest} checks).
 */
class Open311CrmContractTest extends CrmAdapterContract {
  static final String API_KEY = "b4ck-0ff1ce-key";

  FakeBackOffice backOffice;
  WireMockServer server;
  Open311Crm crm;
  Open311Crm refused;
  private int faults;

  /** Whether the back office under test has mySociety's update extension. */
  boolean updateExtension() {
    return true;
  }

  @BeforeEach
  void start() {
    backOffice = new FakeBackOffice(API_KEY, updateExtension(), "civicsync_reference");
    server = new WireMockServer(wireMockConfig().dynamicPort().extensions(backOffice));
    server.start();
    server.stubFor(any(anyUrl()).atPriority(10)
        .willReturn(aResponse().withTransformers(FakeBackOffice.NAME)));
    crm = Open311Crm.create("council-open311", settings(API_KEY));
    refused = Open311Crm.create("council-open311", settings("not-the-key"));
  }

  @AfterEach
  void stop() {
    crm.close();
    refused.close();
    server.stop();
  }

  Open311CrmSettings settings(String apiKey) {
    return Open311CrmSettings.withUpdates(server.baseUrl() + "/open311/v2/", apiKey)
        .withUpdateExtension(updateExtension()).withReadTimeout(Duration.ofSeconds(1))
        .withClock(new BackOfficeClock(backOffice));
  }

  /** The back office's own clock, so that "now" is the same on both sides of the wire. */
  static final class BackOfficeClock extends Clock {
    private final FakeBackOffice backOffice;

    BackOfficeClock(FakeBackOffice backOffice) {
      this.backOffice = backOffice;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return backOffice.now();
    }
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
  protected boolean lookupNeedsCredentials() {
    return false;
  }

  @Override
  protected Optional<String> listedService() {
    return Optional.of(caseType());
  }

  @Override
  protected String caseType() {
    return "POT";
  }

  @Override
  protected NewCase newCase(String idempotencyKey, String externalReference) {
    // GeoReport v2 needs a location; FixMyStreet sends its own id, which passes through.
    Report report = Report.builder().id(externalReference).serviceCode("potholes")
        .description("Pothole outside 12 Acacia Avenue").location(Location.at("51.4545", "-2.5879"))
        .attribute("fixmystreet_id", idempotencyKey.replaceAll("\\D", "")).build();
    return new NewCase(idempotencyKey, externalReference, caseType(), Map.of(), report);
  }

  @Override
  protected int casesOnSystem(String externalReference) {
    return (int) backOffice.requests().stream().filter(r -> r.attributes
        .getOrDefault("civicsync_reference", List.of()).contains(externalReference)).count();
  }

  @Override
  protected List<String> raiseCasesAtOneInstant(int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(backOffice.raise(caseType()));
    }
    backOffice.advance(1);
    return ids;
  }

  @Override
  protected List<String> notesOnSystem(String caseId) {
    return List.copyOf(backOffice.request(caseId).notes);
  }

  @Override
  protected boolean closedOnSystem(String caseId) {
    return backOffice.request(caseId).status.isClosed();
  }

  @Override
  protected boolean failNext(Failure failure, CrmOperation during) {
    ResponseDefinitionBuilder answer = switch (failure) {
      case TOO_MANY_REQUESTS -> aResponse().withStatus(429)
          .withHeader("Retry-After", Long.toString(Failure.RETRY_AFTER.toSeconds()))
          .withHeader("Content-Type", "text/xml; charset=utf-8")
          .withBody("<errors><error><code>429</code><description>slow down</description>"
              + "</error></errors>");
      // A proxy in front of the back office, not the back office itself.
      case SERVER_ERROR -> aResponse().withStatus(503).withHeader("Content-Type", "text/html")
          .withBody("<html><body>Service Unavailable</body></html>");
      case TIMEOUT, EXPIRED_TOKEN -> null;
    };
    if (failure == Failure.TIMEOUT && during == CrmOperation.CREATE_CASE) {
      // The back office makes the request; its answer comes after the adapter stopped waiting.
      backOffice.loseNextCreateAnswer();
      return true;
    }
    if (answer == null) {
      return false;
    }
    server.stubFor(request(during).atPriority(1).inScenario("fault-" + (++faults))
        .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("spent").willReturn(answer));
    return true;
  }

  private MappingBuilder request(CrmOperation operation) {
    return switch (operation) {
      case FIND_CASE -> get(urlPathEqualTo("/open311/v2/requests.xml"));
      case LIST_CHANGES -> get(urlPathEqualTo(updateExtension()
          ? "/open311/v2/servicerequestupdates.xml" : "/open311/v2/requests.xml"));
      case CREATE_CASE -> post(urlPathEqualTo("/open311/v2/requests.xml"));
      case APPLY_UPDATE -> post(urlPathEqualTo("/open311/v2/servicerequestupdates.xml"));
      case DESCRIBE_SERVICES -> get(urlPathEqualTo("/open311/v2/services.xml"));
    };
  }

  @Override
  protected List<String> secrets() {
    return List.of(API_KEY, "not-the-key");
  }

  @Override
  protected String unknownCaseId() {
    return "999999";
  }
}
