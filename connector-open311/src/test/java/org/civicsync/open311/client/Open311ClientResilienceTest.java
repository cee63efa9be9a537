package org.civicsync.open311.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okXml;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.civicsync.core.model.Location;
import org.civicsync.core.model.Report;
import org.civicsync.core.resilience.RemoteSystemUnavailableException;
import org.civicsync.core.resilience.ResiliencePolicy;
import org.civicsync.open311.Open311ErrorResponseException;
import org.civicsync.open311.Open311TransportException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retries, Retry-After, the circuit breaker, and POSTs that are never retried blindly. */
class Open311ClientResilienceTest {
  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance()
      .options(com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig()
          .dynamicPort().bindAddress("127.0.0.1"))
      .build();

  private static final String SERVICES = "<services><service><service_code>POT</service_code>"
      + "<service_name>Potholes</service_name></service></services>";

  private final List<Duration> waits = new ArrayList<>();

  private Open311Client.Builder client(int maxAttempts) {
    return Open311Client.builder(wm.baseUrl() + "/v2/").sleeper(waits::add)
        .resilience(ResiliencePolicy.builder().maxAttempts(maxAttempts)
            .initialBackoff(Duration.ofMillis(100)).jitter(0.5).maxBackoff(Duration.ofSeconds(5))
            .build());
  }

  private void failThenSucceed(int failures, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder failure) {
    String state = Scenario.STARTED;
    for (int i = 1; i <= failures; i++) {
      wm.stubFor(get(urlPathEqualTo("/v2/services.xml")).inScenario("flaky")
          .whenScenarioStateIs(state).willReturn(failure).willSetStateTo("failed-" + i));
      state = "failed-" + i;
    }
    wm.stubFor(get(urlPathEqualTo("/v2/services.xml")).inScenario("flaky")
        .whenScenarioStateIs(state).willReturn(okXml(SERVICES)));
  }

  @Test
  void serverErrorsAreRetriedWithGrowingJitteredBackoff() {
    failThenSucceed(2, aResponse().withStatus(503));

    assertThat(client(4).build().services()).hasSize(1);

    assertThat(wm.findAll(getRequestedFor(urlPathEqualTo("/v2/services.xml")))).hasSize(3);
    assertThat(waits).hasSize(2);
    assertThat(waits.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(150));
    assertThat(waits.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(300));
  }

  @Test
  void connectionResetsAndTimeoutsAreRetried() {
    failThenSucceed(2, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

    assertThat(client(3).build().services()).hasSize(1);
    assertThat(waits).hasSize(2);
  }

  @Test
  void tooManyRequestsWaitsWhatRetryAfterSays() {
    failThenSucceed(1, aResponse().withStatus(429).withHeader("Retry-After", "7"));

    assertThat(client(3).build().services()).hasSize(1);
    assertThat(waits).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void requestTimeoutIsRetried() {
    failThenSucceed(1, aResponse().withStatus(408));

    assertThat(client(3).build().services()).hasSize(1);
    assertThat(waits).hasSize(1);
  }

  @Test
  void otherClientErrorsAreNotRetried() {
    wm.stubFor(get(urlPathEqualTo("/v2/services.xml")).willReturn(aResponse().withStatus(403)
        .withBody("<errors><error><code>403</code><description>Invalid api_key</description></error></errors>")));

    assertThatThrownBy(() -> client(5).build().services())
        .isInstanceOfSatisfying(Open311ErrorResponseException.class,
            e -> assertThat(e.httpStatus()).isEqualTo(403));
    assertThat(wm.findAll(getRequestedFor(urlPathEqualTo("/v2/services.xml")))).hasSize(1);
    assertThat(waits).isEmpty();
  }

  @Test
  void givesUpAfterMaxAttemptsWithTheLastError() {
    wm.stubFor(get(urlPathEqualTo("/v2/services.xml")).willReturn(aResponse().withStatus(502)));

    assertThatThrownBy(() -> client(3).build().services())
        .isInstanceOfSatisfying(Open311ErrorResponseException.class,
            e -> assertThat(e.httpStatus()).isEqualTo(502));
    assertThat(wm.findAll(getRequestedFor(urlPathEqualTo("/v2/services.xml")))).hasSize(3);
  }

  private static Report report() {
    return Report.builder().serviceCode("POT").location(Location.at("51.1", "-2.5")).build();
  }

  @Test
  void aPostIsNeverRetriedEvenOnA503() {
    wm.stubFor(post(urlPathEqualTo("/v2/requests.xml")).willReturn(aResponse().withStatus(503)));

    assertThatThrownBy(() -> client(5).build().createRequest(report()))
        .isInstanceOf(Open311ErrorResponseException.class);
    assertThat(wm.findAll(postRequestedFor(urlPathEqualTo("/v2/requests.xml")))).hasSize(1);
    assertThat(waits).isEmpty();
  }

  @Test
  void aPostThatTimesOutAfterSendingIsReportedAsPossiblyDelivered() {
    wm.stubFor(post(urlPathEqualTo("/v2/requests.xml")).willReturn(okXml(
        "<service_requests><request><service_request_id>1</service_request_id></request></service_requests>")
        .withFixedDelay(1_500)));

    assertThatThrownBy(() -> client(5).readTimeout(Duration.ofMillis(200)).build().createRequest(report()))
        .isInstanceOfSatisfying(Open311TransportException.class,
            e -> assertThat(e.mayHaveReachedServer()).isTrue());
    assertThat(wm.findAll(postRequestedFor(urlPathEqualTo("/v2/requests.xml")))).hasSize(1);
  }

  @Test
  void aRefusedConnectionIsKnownNotToHaveBeenDelivered() {
    Open311Client client = Open311Client.builder("http://127.0.0.1:1/v2/").sleeper(waits::add).build();

    assertThatThrownBy(() -> client.createRequest(report()))
        .isInstanceOfSatisfying(Open311TransportException.class,
            e -> assertThat(e.mayHaveReachedServer()).isFalse());
  }

  @Test
  void theCircuitOpensAfterRepeatedFailuresAndThenFailsFastWithoutCalling() {
    wm.stubFor(get(urlPathEqualTo("/v2/services.xml")).willReturn(aResponse().withStatus(500)));
    Open311Client client = Open311Client.builder(wm.baseUrl() + "/v2/").sleeper(waits::add)
        .resilience(ResiliencePolicy.builder().maxAttempts(1).minimumCalls(3).slidingWindowSize(3)
            .failureRateThreshold(100).build())
        .build();

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(client::services).isInstanceOf(Open311ErrorResponseException.class);
    }
    assertThatThrownBy(client::services).isInstanceOf(RemoteSystemUnavailableException.class)
        .hasMessageContaining("OPEN");
    assertThat(wm.findAll(getRequestedFor(urlPathEqualTo("/v2/services.xml")))).hasSize(3);
    assertThat(client.remoteSystem().circuitBreaker().getState().name()).isEqualTo("OPEN");
  }

  @Test
  void clientErrorsDoNotOpenTheCircuit() {
    wm.stubFor(get(urlPathEqualTo("/v2/services.xml")).willReturn(aResponse().withStatus(400)));
    Open311Client client = Open311Client.builder(wm.baseUrl() + "/v2/").sleeper(waits::add)
        .resilience(ResiliencePolicy.builder().maxAttempts(1).minimumCalls(2).slidingWindowSize(2)
            .failureRateThreshold(50).build())
        .build();

    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(client::services).isInstanceOf(Open311ErrorResponseException.class);
    }
    assertThat(wm.findAll(getRequestedFor(urlPathEqualTo("/v2/services.xml")))).hasSize(5);
  }
}
