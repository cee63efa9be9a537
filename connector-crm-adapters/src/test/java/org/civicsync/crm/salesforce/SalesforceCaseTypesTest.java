package org.civicsync.crm.salesforce;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.List;
import java.util.Map;
import org.civicsync.core.model.Service;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.ServiceCatalogue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The org's case types, read from the Case describe, are the service list. */
class SalesforceCaseTypesTest {
  private final FakeOrg org = new FakeOrg(SalesforceCrmContractTest.LOGIN, null);
  private final WireMockServer server =
      new WireMockServer(wireMockConfig().dynamicPort().extensions(org));
  private CrmAdapter crm;

  @BeforeEach
  void start() {
    server.start();
    server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(FakeOrg.NAME)));
    crm = adapter(Map.of());
  }

  private CrmAdapter adapter(Map<String, Object> extra) {
    Map<String, Object> settings = new java.util.HashMap<>(Map.of(
        "instance_url", server.baseUrl(), "auth", "client_credentials",
        "client_id", "3MVG9civicsyncKey", "client_secret", "c0nsumer-s3cret"));
    settings.putAll(extra);
    return CrmAdapterRegistry.installed().create("salesforce", "council-salesforce", settings);
  }

  @AfterEach
  void stop() {
    crm.close();
    server.stop();
  }

  @Test
  void theActiveTypePicklistValuesAreTheServicesWithTheirLabels() {
    org.caseType("Pothole", "Pothole", true);
    org.caseType("Street_Light", "Street light out", true);
    org.caseType("Abandoned_Car", "Abandoned car", false);

    List<Service> services = crm.capability(ServiceCatalogue.class).orElseThrow().services();

    assertThat(services).extracting(Service::code).containsExactly("Pothole", "Street_Light");
    assertThat(services).extracting(Service::name).containsExactly("Pothole", "Street light out");
    server.verify(1, getRequestedFor(urlPathEqualTo("/services/data/v60.0/sobjects/Case/describe")));
  }

  @Test
  void aCaseTypeFieldThatIsNotAPicklistIsRefusedNamingIt() {
    crm.close();
    crm = adapter(Map.of("case_type_field", "Description"));

    CrmException e = catchThrowableOfType(CrmException.class,
        () -> crm.capability(ServiceCatalogue.class).orElseThrow().services());

    assertThat(e.kind()).isEqualTo(CrmException.Kind.PERMANENT);
    assertThat(e.getMessage()).contains("Case.Description is a textarea field, not a picklist");
  }
}
