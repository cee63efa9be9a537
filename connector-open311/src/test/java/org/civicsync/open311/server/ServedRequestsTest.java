package org.civicsync.open311.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.civicsync.core.model.Contact;
import org.civicsync.core.model.Location;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.Service;
import org.civicsync.core.model.ServiceType;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.core.spi.NewCase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET requests by window and filters, CRM-originated reports, services from the CRM's catalogue
 * and updates windows over the 1,000 limit, through {@link Open311Server#handle}.
 */
class ServedRequestsTest {
  private static final Pattern ID =
      Pattern.compile("<service_request_id>([^<]+)</service_request_id>");
  private static final Pattern JSON_ID = Pattern.compile("\"service_request_id\":\"([^\"]+)\"");

  @TempDir java.nio.file.Path dir;
  ServerFixture f;

  @AfterEach
  void tearDown() {
    if (f != null) {
      f.close();
    }
  }

  private String post(String fmsId, String code) {
    String body = FixMyStreetReplayTest.fmsReport(fmsId).replace("service_code=POT",
        "service_code=" + code);
    ServerResponse r = f.postForm("requests.xml", body);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return ids(r.text()).get(0);
  }

  private static List<String> ids(String body) {
    Matcher m = (body.startsWith("<") ? ID : JSON_ID).matcher(body);
    List<String> ids = new ArrayList<>();
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  private ServerResponse list(String format, String query) {
    ServerResponse r = f.get("requests." + format, query);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r;
  }

  @Test
  void windowListsReportsRequestedInItOldestFirstInXmlAndJsonWithoutContactOrPrivateOnes() {
    f = new ServerFixture(dir, ServedJurisdiction.Mode.REALTIME);
    String a = post("1", "POT");
    f.clock.advance(Duration.ofHours(1));
    String b = post("2", "POT");
    f.clock.advance(Duration.ofHours(1));
    String privateOne = post("3", "LIGHT");
    f.clock.advance(Duration.ofHours(1));
    String late = post("4", "POT");

    String window = "start_date=2024-05-01T08:00:00Z&end_date=2024-05-01T11:30:00Z";
    ServerResponse xml = list("xml", window);
    assertThat(ids(xml.text())).containsExactly(a, b);
    assertThat(xml.text()).contains("<requested_datetime>2024-05-01T09:00:00")
        .contains("<status>open</status>").contains("<lat>51.501009</lat>")
        .doesNotContain("ada@example.org").doesNotContain("Lovelace").doesNotContain("01234")
        .doesNotContain(privateOne);
    ServerResponse json = list("json", window.replace("+", "%2B"));
    assertThat(json.contentType()).startsWith("application/json");
    assertThat(ids(json.text())).containsExactly(a, b);

    // No dates: the last 90 days.
    assertThat(ids(list("xml", "").text())).containsExactly(a, b, late);
    f.clock.advance(Duration.ofDays(90).minusHours(1));
    assertThat(ids(list("xml", "").text())).containsExactly(late);
    // Only start_date: 90 days from it; only end_date: 90 days up to it.
    assertThat(ids(list("xml", "start_date=2024-05-01T09:30:00Z").text()))
        .containsExactly(b, late);
    assertThat(ids(list("xml", "end_date=2024-05-01T10:30:00Z").text())).containsExactly(a, b);
    // An optional argument sent empty means "not sent".
    assertThat(ids(list("xml", "start_date=&end_date=2024-05-01T10:30:00Z&status=").text()))
        .containsExactly(a, b);
  }

  @Test
  void statusAndServiceCodeCommaListsFilterTheWindow() {
    f = new ServerFixture(dir, ServedJurisdiction.Mode.REALTIME);
    String a = post("1", "POT");
    f.clock.advance(Duration.ofMinutes(1));
    String b = post("2", "POT");
    f.clock.advance(Duration.ofMinutes(1));
    f.crm.officer().close(b, "FIXED");
    f.serveMode.work(ServerFixture.J);

    assertThat(ids(list("xml", "status=closed").text())).containsExactly(b);
    assertThat(ids(list("xml", "status=open").text())).containsExactly(a);
    assertThat(ids(list("xml", "status=open,closed").text())).containsExactly(a, b);
    assertThat(ids(list("xml", "status=OPEN").text())).containsExactly(a);
    assertThat(list("xml", "status=closed").text()).contains("<status>closed</status>");
    assertThat(ids(list("xml", "service_code=LIGHT").text())).isEmpty();
    assertThat(ids(list("xml", "service_code=LIGHT,POT&status=closed").text()))
        .containsExactly(b);
    // service_request_id overrides every other filter.
    assertThat(ids(list("xml", "service_request_id=" + a + "&status=closed").text()))
        .containsExactly(a);
  }

  @Test
  void badWindowInputIsA400NamingTheFieldNeverA500() {
    f = new ServerFixture(dir, ServedJurisdiction.Mode.REALTIME);
    record Bad(String query, String field) {}
    List<Bad> cases = List.of(
        new Bad("start_date=yesterday", "start_date"),
        new Bad("start_date=2024-13-01T00:00:00Z", "start_date"),
        new Bad("start_date=2024-05-01T00:00:00", "start_date"),
        new Bad("end_date=2024-05-01T00:00:00Z%3Cx%3E", "end_date"),
        new Bad("start_date=2024-05-02T00:00:00Z&end_date=2024-05-01T00:00:00Z", "end_date"),
        new Bad("start_date=2024-01-01T00:00:00Z&end_date=2024-05-01T00:00:00Z", "end_date"),
        new Bad("status=pending", "status"));
    for (Bad bad : cases) {
      for (String format : List.of("xml", "json")) {
        ServerResponse r = f.get("requests." + format, bad.query());
        assertThat(r.status()).as(bad.query()).isEqualTo(400);
        assertThat(r.text()).as(bad.query()).contains(bad.field())
            .contains(format.equals("xml") ? "<errors><error>" : "[{\"code\":\"400\"");
      }
    }
  }

  @Test
  void crmRaisedCaseIsServedWithItsParticularsAndFollowsItsStatus() {
    f = new ServerFixture(dir, ServedJurisdiction.Mode.REALTIME);
    Report byPhone = Report.builder().description("Kerb broken outside the library")
        .location(Location.at("51.510000", "-0.120000"))
        .contact(Contact.of("Grace", "Hopper", "grace@example.org", "0999"))
        .requested(OffsetDateTime.parse("2024-05-01T08:30:00Z")).build();
    String raised = f.crm.officer().raiseCase("Pothole", byPhone);
    String unmapped = f.crm.officer().raiseCase("Graffiti", byPhone);
    String privateType = f.crm.officer().raiseCase("StreetLight", byPhone);
    f.clock.advance(Duration.ofMinutes(5));
    f.serveMode.work(ServerFixture.J);

    ServerResponse window = list("xml", "start_date=2024-05-01T08:00:00Z&end_date="
        + "2024-05-01T09:30:00Z");
    assertThat(ids(window.text())).containsExactly(raised);
    assertThat(window.text()).contains("<service_code>POT</service_code>")
        .contains("<service_name>Pothole</service_name>")
        .contains("<requested_datetime>2024-05-01T08:30:00")
        .contains("<lat>51.510000</lat>").contains("<long>-0.120000</long>")
        .contains("Kerb broken").doesNotContain("grace@example.org").doesNotContain("Hopper")
        .doesNotContain("0999");
    assertThat(f.get("requests/" + unmapped + ".xml", "").status()).isEqualTo(404);
    assertThat(f.get("requests/" + privateType + ".xml", "").status()).isEqualTo(404);
    // Reading the same changes again adopts nothing twice.
    f.serveMode.work(ServerFixture.J);
    assertThat(ids(list("xml", "status=open").text())).containsExactly(raised);

    f.clock.advance(Duration.ofMinutes(10));
    f.crm.officer().close(raised, "FIXED");
    f.serveMode.work(ServerFixture.J);
    ServerResponse one = f.get("requests/" + raised + ".json", "");
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.text()).contains("\"status\":\"closed\"");
    ServerResponse updates = f.get("servicerequestupdates.xml", "api_key=" + ServerFixture.KEY
        + "&start_date=2024-05-01T09:00:00Z&end_date=2024-05-01T10:00:00Z");
    assertThat(updates.text()).contains("<service_request_id>" + raised + "</service_request_id>")
        .contains("<status>fixed</status>");
  }

  @Test
  void caseMadeFromAReportIsNeverAdoptedAsCrmRaised() {
    f = new ServerFixture(dir, ServedJurisdiction.Mode.REALTIME);
    // As if a create from Open311 reached the CRM while its link is still being recorded.
    String caseId = f.crm.create(new NewCase("fms-999", "fms-999", "Pothole", Map.of(),
        Report.builder().description("x").build())).caseId();
    f.serveMode.work(ServerFixture.J);
    assertThat(f.get("requests/" + caseId + ".xml", "").status()).isEqualTo(404);
    assertThat(ids(list("xml", "").text())).isEmpty();
  }

  private static List<Service> crmCatalogue() {
    return List.of(
        new Service("Pothole", "Pothole (CRM)", Optional.of("Holes"), false, ServiceType.REALTIME,
            List.of(), List.of("Roads")),
        new Service("StreetLight", "Street lighting", Optional.empty(), false,
            ServiceType.REALTIME, List.of("private"), List.of("Lighting")),
        new Service("Graffiti", "Graffiti", Optional.empty(), false, ServiceType.REALTIME,
            List.of(), List.of()));
  }

  @Test
  void servicesComeWholeFromTheCrmCatalogueOrAsAnErrorNeverPartly() {
    f = new ServerFixture(dir, ServedJurisdiction.Mode.REALTIME, crmCatalogue(), true);
    ServerResponse services = f.get("services.xml", "");
    assertThat(services.status()).isEqualTo(200);
    assertThat(services.text()).contains("<service_code>POT</service_code>")
        .contains("<service_name>Pothole (CRM)</service_name>")
        .contains("<service_code>LIGHT</service_code>").doesNotContain("Graffiti")
        .contains("<metadata>true</metadata>");
    assertThat(f.get("services/POT.xml", "").text()).contains("fixmystreet_id");
    assertThat(f.get("services.json", "").text()).contains("\"service_code\":\"POT\"");

    // Within the ttl the list is not fetched again.
    int fetched = f.crm.calls(CrmOperation.DESCRIBE_SERVICES);
    f.get("services.xml", "");
    assertThat(f.crm.calls(CrmOperation.DESCRIBE_SERVICES)).isEqualTo(fetched);

    f.clock.advance(Duration.ofMinutes(6));
    f.crm.faults().failNext(CrmOperation.DESCRIBE_SERVICES, 1, CrmException.Kind.TRANSIENT);
    ServerResponse failed = f.get("services.xml", "");
    assertThat(failed.status()).isEqualTo(503);
    assertThat(failed.text()).contains("<errors><error>").doesNotContain("<service>");
    // Reports still go in on the last whole list while the catalogue fails.
    f.crm.faults().failNext(CrmOperation.DESCRIBE_SERVICES, 1, CrmException.Kind.TRANSIENT);
    assertThat(f.postForm("requests.xml", FixMyStreetReplayTest.fmsReport("9")).status())
        .isEqualTo(200);
    assertThat(f.get("services.xml", "").status()).isEqualTo(200);
  }

  @Test
  void catalogueWithNoMappedTypeIsAnErrorNotAnEmptyList() {
    f = new ServerFixture(dir, ServedJurisdiction.Mode.REALTIME, List.of(crmCatalogue().get(2)),
        true);
    ServerResponse r = f.get("services.xml", "");
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.text()).contains("empty service list");
  }

  @Test
  void withoutCatalogueTheConfiguredListIsServed() {
    f = new ServerFixture(dir, ServedJurisdiction.Mode.REALTIME);
    assertThat(f.get("services.xml", "").text()).contains("<service_name>Street light")
        .doesNotContain("(CRM)");
  }

  @Test
  void updatesWindowOverAThousandAnswersTheFirstThousandInOrder() {
    f = new ServerFixture(dir, ServedJurisdiction.Mode.REALTIME);
    String id = post("5", "POT");
    for (int i = 0; i < 1001; i++) {
      f.clock.advance(Duration.ofSeconds(1));
      f.crm.officer().addNote(id, "note " + i);
    }
    f.serveMode.work(ServerFixture.J);
    String query = "api_key=" + ServerFixture.KEY + "&start_date=2024-05-01T09:00:00Z"
        + "&end_date=2024-05-01T10:00:00Z";
    String xml = f.get("servicerequestupdates.xml", query).text();
    List<String> notes = new ArrayList<>();
    Matcher m = Pattern.compile("<description>(note \\d+)</description>").matcher(xml);
    while (m.find()) {
      notes.add(m.group(1));
    }
    assertThat(notes).hasSize(1000);
    assertThat(notes.get(0)).isEqualTo("note 0");
    assertThat(notes.get(999)).isEqualTo("note 999");
    // FixMyStreet gets the rest by asking from the last updated_datetime it saw.
    String rest = f.get("servicerequestupdates.json", "api_key=" + ServerFixture.KEY
        + "&start_date=2024-05-01T09:16:41Z&end_date=2024-05-01T10:00:00Z").text();
    assertThat(rest).contains("note 1000").doesNotContain("note 998");
  }
}
