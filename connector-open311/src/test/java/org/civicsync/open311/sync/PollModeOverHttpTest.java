package org.civicsync.open311.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okXml;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.civicsync.core.crm.memory.InMemoryCrm;
import org.civicsync.core.mapping.JurisdictionMapping;
import org.civicsync.core.model.Status;
import org.civicsync.core.resilience.ResiliencePolicy;
import org.civicsync.core.store.H2Durability;
import org.civicsync.core.store.Link;
import org.civicsync.core.store.SyncStore;
import org.civicsync.core.store.SyncStores;
import org.civicsync.core.sync.Jurisdiction;
import org.civicsync.core.sync.SyncEngine;
import org.civicsync.core.sync.SyncSettings;
import org.civicsync.core.testing.MutableClock;
import org.civicsync.open311.client.Open311Client;
import org.civicsync.open311.codec.FormFields;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poll mode against a real HTTP endpoint that misbehaves — 500s, resets, a malformed body,
 * timeouts — and then recovers: every report still reaches the CRM once, and the closure is
 * delivered with one stable update_id however many times it had to be sent.
 */
class PollModeOverHttpTest {
  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance()
      .options(com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig()
          .dynamicPort().bindAddress("127.0.0.1"))
      .build();

  static final String J = "bristol";
  static final String REQUESTS = """
      <?xml version="1.0" encoding="utf-8"?>
      <service_requests>
        <request><service_request_id>101</service_request_id><status>open</status>
          <service_code>POT</service_code><requested_datetime>2024-05-01T08:10:00+01:00</requested_datetime>
          <updated_datetime>2024-05-01T08:10:00+01:00</updated_datetime><lat>51.45</lat><long>-2.59</long></request>
        <request><service_request_id>102</service_request_id><status>open</status>
          <service_code>POT</service_code><requested_datetime>2024-05-01T08:20:00+01:00</requested_datetime>
          <updated_datetime>2024-05-01T08:20:00+01:00</updated_datetime><lat>51.46</lat><long>-2.58</long></request>
        <request><service_request_id>103</service_request_id><status>open</status>
          <service_code>POT</service_code><requested_datetime>2024-05-01T08:30:00+01:00</requested_datetime>
          <updated_datetime>2024-05-01T08:30:00+01:00</updated_datetime><lat>51.47</lat><long>-2.57</long></request>
      </service_requests>""";

  @TempDir
  Path dir;

  final MutableClock clock = MutableClock.at("2024-05-01T09:00:00Z");
  final InMemoryCrm crm = InMemoryCrm.builder().clock(clock)
      .closedStatusCodes(Set.of("CLOSED", "FIXED")).closingStatusCode("CLOSED").build();
  SyncStore store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  SyncEngine engine() {
    Open311Client client = Open311Client.builder(wm.baseUrl() + "/open311/v2/")
        .jurisdictionId(J).apiKey("k").sleeper(d -> { })
        .readTimeout(Duration.ofMillis(1_000))
        .resilience(ResiliencePolicy.builder().maxAttempts(1).minimumCalls(50).slidingWindowSize(50).build())
        .build();
    JurisdictionMapping mapping = JurisdictionMapping.builder(J).service("POT", "Pothole")
        .crmStatus("NEW", Status.OPEN).crmStatus("FIXED", Status.FIXED).crmStatus("CLOSED", Status.CLOSED)
        .crmZone(ZoneId.of("Europe/London")).open311Zone(ZoneId.of("UTC")).build();
    store = SyncStores.h2File(dir.resolve("sync"), H2Durability.PROCESS_CRASH, clock);
    return SyncEngine.builder(store).clock(clock).owner("node-a")
        .jurisdiction(new Jurisdiction(J, Open311ClientSide.create(client, false, true), crm, mapping,
            SyncSettings.ofDefaults(Instant.parse("2024-05-01T00:00:00Z"))))
        .build();
  }

  /** Each response in turn, then {@code last} for ever after. */
  static void sequence(java.util.function.Supplier<com.github.tomakehurst.wiremock.client.MappingBuilder> base, String name,
      List<ResponseDefinitionBuilder> first, ResponseDefinitionBuilder last) {
    String state = Scenario.STARTED;
    for (int i = 0; i < first.size(); i++) {
      wm.stubFor(base.get().inScenario(name).whenScenarioStateIs(state).willReturn(first.get(i))
          .willSetStateTo(name + "-" + i));
      state = name + "-" + i;
    }
    wm.stubFor(base.get().inScenario(name).whenScenarioStateIs(state).willReturn(last));
  }

  void passes(SyncEngine engine, int n) {
    for (int i = 0; i < n; i++) {
      clock.advance(Duration.ofMinutes(10));
      engine.runOnce(J);
    }
  }

  @Test
  void failuresThenRecoveryLoseNothingAndDuplicateNothing() {
    sequence(() -> get(urlPathEqualTo("/open311/v2/requests.xml")), "requests", List.of(
            aResponse().withStatus(500),
            aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
            aResponse().withStatus(200).withBody("<service_requests><request><service_request_id>1"),
            okXml(REQUESTS).withFixedDelay(4_000)),
        okXml(REQUESTS));
    SyncEngine engine = engine();

    passes(engine, 6);

    for (String id : List.of("101", "102", "103")) {
      assertThat(crm.createCount(id)).as("creates of %s", id).isEqualTo(1);
    }
    String caseId = store.links().findByOpen311Id(J, "101").flatMap(Link::crmId).orElseThrow();

    sequence(() -> post(urlPathEqualTo("/open311/v2/servicerequestupdates.xml")), "updates", List.of(
            aResponse().withStatus(503),
            aResponse().withFault(Fault.EMPTY_RESPONSE),
            okXml("<service_request_updates><request_update><update_id>x</update_id></request_update>"
                + "</service_request_updates>").withFixedDelay(4_000)),
        okXml("<service_request_updates><request_update><update_id>fms-1</update_id></request_update>"
            + "</service_request_updates>"));
    long version = crm.officer().close(caseId, "FIXED");
    for (int i = 0; i < 6; i++) {
      clock.advance(Duration.ofMinutes(30));
      engine.runOnce(J);
    }

    List<String> sentIds = wm.findAll(postRequestedFor(urlPathEqualTo("/open311/v2/servicerequestupdates.xml")))
        .stream().map(r -> FormFields.parse(r.getBodyAsString()).first("update_id").orElseThrow()).toList();
    assertThat(sentIds).hasSize(4).containsOnly("crm-" + caseId + "-" + version);
    assertThat(wm.findAll(postRequestedFor(urlPathEqualTo("/open311/v2/servicerequestupdates.xml"))).get(3)
        .getBodyAsString()).contains("status=FIXED");
    Link link = store.links().findByOpen311Id(J, "101").orElseThrow();
    assertThat(link.open311().status()).contains(Status.FIXED);
    assertThat(link.complete()).isTrue();
    assertThat(store.outbox().listDead(J)).isEmpty();
    assertThat(wm.findAll(postRequestedFor(urlPathEqualTo("/open311/v2/servicerequestupdates.xml"))).get(0)
        .getBodyAsString()).contains("api_key=k", "jurisdiction_id=" + J);
  }

  @Test
  void aRejectedUpdateGoesDeadWithTheEndpointsErrorAndIsNotResent() {
    wm.stubFor(get(urlPathEqualTo("/open311/v2/requests.xml")).willReturn(okXml(REQUESTS)));
    wm.stubFor(post(urlPathEqualTo("/open311/v2/servicerequestupdates.xml")).willReturn(aResponse()
        .withStatus(400).withBody("<errors><error><code>400</code><description>Invalid update_id</description>"
            + "</error></errors>")));
    SyncEngine engine = engine();
    passes(engine, 1);
    crm.officer().close(store.links().findByOpen311Id(J, "102").flatMap(Link::crmId).orElseThrow(), "FIXED");

    passes(engine, 4);

    assertThat(wm.findAll(postRequestedFor(urlPathEqualTo("/open311/v2/servicerequestupdates.xml")))).hasSize(1);
    assertThat(store.outbox().listDead(J)).singleElement()
        .satisfies(item -> assertThat(item.lastError().orElseThrow()).contains("Invalid update_id"));
  }
}
