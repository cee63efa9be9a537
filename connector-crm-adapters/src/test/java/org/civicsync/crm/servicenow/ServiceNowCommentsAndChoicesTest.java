package org.civicsync.crm.servicenow;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.List;
import java.util.Map;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.Service;
import org.civicsync.core.spi.CaseCreation;
import org.civicsync.core.spi.CaseUpdate;
import org.civicsync.core.spi.CaseUpdates;
import org.civicsync.core.spi.ChangeFeed;
import org.civicsync.core.spi.ChangePage;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.core.spi.CrmChange;
import org.civicsync.core.spi.NewCase;
import org.civicsync.core.spi.ServiceCatalogue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An officer's comments reach the change feed; the category choices are the service list. */
class ServiceNowCommentsAndChoicesTest {
  private final FakeInstance instance =
      new FakeInstance(ServiceNowCrmContractTest.LOGIN, ServiceNowCrmContractTest.LONDON);
  private final WireMockServer server =
      new WireMockServer(wireMockConfig().dynamicPort().extensions(instance));
  private CrmAdapter crm;

  @BeforeEach
  void start() {
    server.start();
    server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(FakeInstance.NAME)));
    crm = adapter("work_notes");
  }

  private CrmAdapter adapter(String noteField) {
    return CrmAdapterRegistry.installed().create("servicenow", "council-servicenow", Map.of(
        "instance_url", server.baseUrl(), "auth", "oauth",
        "client_id", "3f1c0a2b9d", "client_secret", "s3cr3t-client",
        "user", "civicsync.integration", "password", "pa55-word",
        "user_time_zone", "Europe/London", "note_field", noteField));
  }

  @AfterEach
  void stop() {
    crm.close();
    server.stop();
  }

  @Test
  void anOfficersCommentIsListedAsANoteAndAWorkNoteIsNot() {
    String sysId = instance.insert("incident", Map.of("category", "roads")).get("sys_id").asText();
    ChangeFeed feed = crm.capability(ChangeFeed.class).orElseThrow();
    ChangePage first = feed.changesSince(feed.beginning(), 10);
    instance.advance(60);
    instance.journal("incident", sysId, "work_notes", "Contractor is slow, chase them");
    instance.journal("incident", sysId, "comments", "A crew will fill it on Tuesday");

    ChangePage page = feed.changesSince(first.next(), 10);

    assertThat(first.changes()).singleElement().satisfies(c -> assertThat(c.note()).isEmpty());
    CrmChange change = page.changes().get(0);
    assertThat(change.caseId()).isEqualTo(sysId);
    assertThat(change.version()).isEqualTo(2);
    assertThat(change.note()).hasValueSatisfying(n -> {
      assertThat(n.text()).isEqualTo("A crew will fill it on Tuesday");
      assertThat(n.updateId()).isEmpty();
    });
    assertThat(change.updateId()).isEmpty();
    // 09:00:00Z is 10:00:00 in London in July: literal times are in the user's zone.
    server.verify(getRequestedFor(urlPathEqualTo("/api/now/table/sys_journal_field"))
        .withQueryParam("sysparm_query", equalTo("element_idIN" + sysId + "^element=comments"
            + "^sys_created_on>=2024-07-01 10:00:00^sys_created_on<=2024-07-01 10:01:00"
            + "^ORDERBYsys_created_on^ORDERBYsys_id"))
        .withQueryParam("sysparm_fields", equalTo("sys_id,element_id,value,sys_created_on")));
  }

  @Test
  void theConnectorsOwnCommentComesBackAsItsUpdateIdNotAsANote() {
    crm.close();
    crm = adapter("comments");
    String caseId = crm.capability(CaseCreation.class).orElseThrow().create(new NewCase("fms-1",
        "req-1", "roads", Map.of(), Report.builder().description("Hole").build())).caseId();
    ChangeFeed feed = crm.capability(ChangeFeed.class).orElseThrow();
    ChangePage before = feed.changesSince(feed.beginning(), 10);
    instance.advance(5);
    crm.capability(CaseUpdates.class).orElseThrow()
        .apply(CaseUpdate.note(caseId, "upd-41", "Thank you"));

    ChangePage page = feed.changesSince(before.next(), 10);

    assertThat(page.changes()).singleElement().satisfies(c -> {
      assertThat(c.note()).isEmpty();
      assertThat(c.updateId()).contains("upd-41");
    });
  }

  @Test
  void theServicesAreTheActiveChoicesOfTheCategoryFieldInOrder() {
    choice("street_lighting", "Street lighting", "20", "false");
    choice("roads", "Roads and pavements", "10", "false");
    choice("graffiti", "Graffiti", "30", "true");
    instance.insert("sys_choice", Map.of("name", "incident", "element", "subcategory",
        "language", "en", "value", "potholes", "label", "Potholes", "sequence", "1",
        "inactive", "false"));

    List<Service> services = crm.capability(ServiceCatalogue.class).orElseThrow().services();

    assertThat(services).extracting(Service::code).containsExactly("roads", "street_lighting");
    assertThat(services).extracting(Service::name)
        .containsExactly("Roads and pavements", "Street lighting");
    server.verify(getRequestedFor(urlPathEqualTo("/api/now/table/sys_choice"))
        .withQueryParam("sysparm_query", equalTo("name=incident^element=category^inactive=false"
            + "^language=en^ORDERBYsequence^ORDERBYvalue"))
        .withQueryParam("sysparm_fields", equalTo("value,label,sequence")));
  }

  private void choice(String value, String label, String sequence, String inactive) {
    instance.insert("sys_choice", Map.of("name", "incident", "element", "category",
        "language", "en", "value", value, "label", label, "sequence", sequence,
        "inactive", inactive));
  }
}
