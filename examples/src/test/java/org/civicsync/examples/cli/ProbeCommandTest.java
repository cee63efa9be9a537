package org.civicsync.examples.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okXml;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

class ProbeCommandTest {
  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance()
      .options(com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig()
          .dynamicPort().bindAddress("127.0.0.1"))
      .build();

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int probe(String... args) {
    CommandLine cli = new CommandLine(new CivicSyncCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 1];
    all[0] = "probe";
    System.arraycopy(args, 0, all, 1, args.length);
    return cli.execute(all);
  }

  @Test
  void printsParsedRequestsAsJsonWithPersonalDataRedacted() throws Exception {
    wm.stubFor(get(urlPathEqualTo("/v2/requests.xml")).willReturn(okXml("""
        <service_requests><request><service_request_id>lincs-123</service_request_id>
          <status>in_progress</status><service_code>CODE</service_code>
          <contact_name>John Smith</contact_name><contact_email>user@example.org</contact_email>
          <requested_datetime>2024-05-01T10:00:00+01:00</requested_datetime>
          <lat>52.1</lat><long>-0.50</long></request></service_requests>""")));

    int exit = probe("requests", "--endpoint", wm.baseUrl() + "/v2/", "--jurisdiction", "lincs",
        "--ids", "lincs-123,lincs-124");

    assertThat(exit).isZero();
    JsonNode printed = new ObjectMapper().readTree(out.toString());
    assertThat(printed.get(0).get("id").asText()).isEqualTo("lincs-123");
    assertThat(printed.get(0).get("status").asText()).isEqualTo("IN_PROGRESS");
    assertThat(printed.get(0).get("requested").asText()).isEqualTo("2024-05-01T10:00:00+01:00");
    assertThat(out.toString()).contains("\"lon\" : -0.50");
    assertThat(printed.get(0).at("/contact/email").asText()).isEqualTo("<redacted>");
    assertThat(out.toString()).doesNotContain("John", "Smith", "user@example.org");
    assertThat(wm.findAll(getRequestedFor(urlPathEqualTo("/v2/requests.xml"))).get(0)
        .queryParameter("service_request_id").firstValue()).isEqualTo("lincs-123,lincs-124");
  }

  @Test
  void printsTheEndpointsErrorPlainlyAndExitsTwo() {
    wm.stubFor(get(urlPathEqualTo("/v2/services/NOPE.xml")).willReturn(aResponse().withStatus(404)
        .withBody("<errors><error><code>404</code><description>Service not found</description></error></errors>")));

    int exit = probe("service", "NOPE", "--endpoint", wm.baseUrl() + "/v2/");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("HTTP 404", "404: Service not found");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void anUnreachableEndpointExitsFour() {
    int exit = probe("services", "--endpoint", "http://127.0.0.1:1/v2/", "--attempts", "1");

    assertThat(exit).isEqualTo(4);
    assertThat(err.toString()).contains("could not be reached");
  }

  @Test
  void aDateWithoutZoneIsRefusedBeforeAnyCall() {
    int exit = probe("updates", "--endpoint", wm.baseUrl() + "/v2/", "--start", "2024-05-01T10:00:00",
        "--end", "2024-05-01T12:00:00Z");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("no zone");
    assertThat(wm.getAllServeEvents()).isEmpty();
  }
}
