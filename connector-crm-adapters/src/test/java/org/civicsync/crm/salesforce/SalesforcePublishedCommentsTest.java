package org.civicsync.crm.salesforce;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.Map;
import org.civicsync.core.spi.ChangeFeed;
import org.civicsync.core.spi.ChangePage;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.core.spi.CrmChange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An officer's published CaseComment reaches the change feed; an internal one never does. */
class SalesforcePublishedCommentsTest {
  private final FakeOrg org = new FakeOrg(SalesforceCrmContractTest.LOGIN, null);
  private final WireMockServer server =
      new WireMockServer(wireMockConfig().dynamicPort().extensions(org));
  private CrmAdapter crm;

  @BeforeEach
  void start() {
    server.start();
    server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(FakeOrg.NAME)));
    crm = CrmAdapterRegistry.installed().create("salesforce", "council-salesforce", Map.of(
        "instance_url", server.baseUrl(), "auth", "client_credentials",
        "client_id", "3MVG9civicsyncKey", "client_secret", "c0nsumer-s3cret"));
  }

  @AfterEach
  void stop() {
    crm.close();
    server.stop();
  }

  @Test
  void aPublishedCommentIsListedAsTheNoteOfItsCasesChange() {
    String caseId = org.insertCase(Map.of("Type", "Pothole", "Subject", "Phoned in"))
        .get("Id").asText();
    ChangeFeed feed = crm.capability(ChangeFeed.class).orElseThrow();
    ChangePage first = feed.changesSince(feed.beginning(), 10);
    org.officerComment(caseId, "Contractor is slow, chase them", false);
    org.officerComment(caseId, "A crew will fill it on Tuesday", true);

    ChangePage page = feed.changesSince(first.next(), 10);

    assertThat(first.changes()).singleElement().satisfies(c -> assertThat(c.note()).isEmpty());
    CrmChange change = page.changes().get(0);
    assertThat(change.caseId()).isEqualTo(caseId);
    assertThat(change.note()).hasValueSatisfying(n ->
        assertThat(n.text()).isEqualTo("A crew will fill it on Tuesday"));
    server.verify(getRequestedFor(urlPathEqualTo(FakeOrg.DATA + "/query"))
        .withQueryParam("q", equalTo("SELECT Id, ParentId, CommentBody, CreatedDate FROM "
            + "CaseComment WHERE IsPublished = true AND ParentId IN ('" + caseId + "') AND "
            + "CreatedDate >= 2024-07-01T09:00:00Z ORDER BY CreatedDate, Id")));
  }
}
