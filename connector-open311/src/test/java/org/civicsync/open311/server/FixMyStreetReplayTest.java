package org.civicsync.open311.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.model.Service;
import org.civicsync.core.model.ServiceDefinition;
import org.civicsync.core.model.Status;
import org.civicsync.open311.Format;
import org.civicsync.open311.codec.Open311Decoder;
import org.civicsync.open311.codec.WireParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly what FixMyStreet sends (OPEN311.md §3), and answers read back the way FixMyStreet reads
 * them: XML, roots, one scalar service_request_id.
 */
class FixMyStreetReplayTest {
  @TempDir java.nio.file.Path dir;
  ServerFixture f;

  /** FixMyStreet's POST requests body: CRLF description, deviceid, repeated attribute keys. */
  static String fmsReport(String fmsId) {
    return "api_key=" + ServerFixture.KEY + "&jurisdiction_id=" + ServerFixture.J
        + "&service_code=POT"
        + "&description=title%3A+Deep+hole%0D%0A%0D%0Adetail%3A+By+the+bus+stop%0D%0A%0D%0A"
        + "url%3A+https%3A%2F%2Fwww.fixmystreet.com%2Freport%2F" + fmsId + "%0D%0A%0D%0A"
        + "Submitted+via+FixMyStreet%0D%0A"
        + "&first_name=Ada&last_name=Lovelace&email=ada%40example.org&phone=01234"
        + "&lat=51.501009&long=-0.141588&media_url=https%3A%2F%2Fwww.fixmystreet.com%2Fphoto%2F1.jpeg"
        + "&deviceid=abc123"
        + "&attribute%5Bfixmystreet_id%5D=" + fmsId
        + "&attribute%5Bclosest_address%5D=1+Mall&attribute%5Beasting%5D=529090"
        + "&attribute%5Bnorthing%5D=179645&attribute%5Bhazards%5D=glass&attribute%5Bhazards%5D=oil";
  }

  @AfterEach
  void tearDown() {
    if (f != null) {
      f.close();
    }
  }

  private static List<String> ids(ServerResponse r) {
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return List.of(Open311Decoder.createdRequest(new WireParser().parse(r.body(), Format.XML,
        "created"), "created").serviceRequestId().orElse(""));
  }

  @Test
  void realtimeReportIsCreatedOnceAndAResendAnswersTheSameCrmId() {
    f = new ServerFixture(dir, ServedJurisdiction.Mode.REALTIME);
    ServerResponse first = f.postForm("requests.xml", fmsReport("4711"));
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.contentType()).isEqualTo("text/xml; charset=utf-8");
    assertThat(first.text()).startsWith("<?xml").contains("<service_requests><request>")
        .doesNotContain("<token>");
    String crmId = ids(first).get(0);
    assertThat(f.crm.find(crmId)).isPresent();

    ServerResponse resend = f.postForm("requests.xml", fmsReport("4711"));
    assertThat(ids(resend)).containsExactly(crmId);
    assertThat(f.crm.cases()).hasSize(1);
    assertThat(f.crm.createCount("fms-4711")).isEqualTo(1);

    Report created = f.crm.creation(crmId).orElseThrow().report();
    assertThat(created.description().orElseThrow()).contains("title: Deep hole\r\n\r\ndetail:");
    assertThat(created.contact().deviceId()).contains("abc123");
    assertThat(created.attributes().all("hazards")).containsExactly("glass", "oil");
  }

  @Test
  void queuedReportAnswersATokenThatGivesTheIdOnceTheCaseExists() {
    f = new ServerFixture(dir, ServedJurisdiction.Mode.QUEUED);
    ServerResponse posted = f.postForm("requests.xml", fmsReport("99"));
    assertThat(posted.text()).contains("<token>fms-99</token>").doesNotContain("service_request_id");
    assertThat(f.crm.cases()).isEmpty();

    // FixMyStreet polls tokens/{t}.xml: no id yet, then the id once the outbox has run.
    ServerResponse early = f.get("tokens/fms-99.xml", "jurisdiction_id=" + ServerFixture.J);
    assertThat(early.status()).isEqualTo(200);
    assertThat(early.text()).doesNotContain("service_request_id");
    f.serveMode.work(ServerFixture.J);
    ServerResponse ready = f.get("tokens/fms-99.xml", "jurisdiction_id=" + ServerFixture.J);
    String crmId = ids(ready).get(0);
    assertThat(crmId).isNotEmpty();
    assertThat(f.crm.find(crmId)).isPresent();
    // A resend after creation answers the id, not another token.
    assertThat(ids(f.postForm("requests.xml", fmsReport("99")))).containsExactly(crmId);
    assertThat(f.get("tokens/nope.xml", "").status()).isEqualTo(404);
  }

  @Test
  void notPinpointedReportWithoutFixMyStreetIdIsKeyedByItsContent() {
    f = new ServerFixture(dir, ServedJurisdiction.Mode.REALTIME);
    String body = "api_key=" + ServerFixture.KEY + "&service_code=POT&description=Somewhere"
        + "&address_string=High+Street&address_id=%23NOTPINPOINTED%23";
    String id = ids(f.postForm("requests.xml", body)).get(0);
    assertThat(ids(f.postForm("requests.xml", body))).containsExactly(id);
    assertThat(f.crm.cases()).hasSize(1);
    assertThat(f.crm.creation(id).orElseThrow().report().location().isNotPinpointed()).isTrue();
  }

  @Test
  void serviceListAndDefinitionsReadAsFixMyStreetReadsThem() {
    f = new ServerFixture(dir, ServedJurisdiction.Mode.REALTIME);
    ServerResponse list = f.get("services.xml", "jurisdiction_id=" + ServerFixture.J);
    List<Service> services = Open311Decoder.services(
        new WireParser().parse(list.body(), Format.XML, "services"), "services");
    assertThat(services).extracting(Service::code).containsExactly("POT", "LIGHT");
    assertThat(services.get(1).groups()).containsExactly("Lighting", "Roads");
    assertThat(services.get(1).isPrivate()).isTrue();
    assertThat(list.text()).contains("<metadata>true</metadata>");

    ServiceDefinition pot = Open311Decoder.serviceDefinition(new WireParser().parse(
        f.get("services/POT.xml", "").body(), Format.XML, "definition"), "definition");
    assertThat(pot.attribute("fixmystreet_id").orElseThrow().isServerSet()).isTrue();

    ServerResponse json = f.get("services.json", "");
    assertThat(json.contentType()).startsWith("application/json");
    assertThat(json.text()).startsWith("[{\"service_code\":\"POT\"");
  }

  @Test
  void roundTripReportInClosedInCrmFixedOutCommentInNoteInCrm() {
    f = new ServerFixture(dir, ServedJurisdiction.Mode.REALTIME);
    String crmId = ids(f.postForm("requests.xml", fmsReport("555"))).get(0);
    f.clock.advance(Duration.ofMinutes(30));
    f.crm.officer().close(crmId, "FIXED");
    f.serveMode.work(ServerFixture.J);

    // FixMyStreet's fetch: api_key in the query (even on a GET), a two-hour window.
    ServerResponse feed = f.get("servicerequestupdates.xml", "jurisdiction_id=" + ServerFixture.J
        + "&api_key=" + ServerFixture.KEY
        + "&start_date=2024-05-01T08:00:00Z&end_date=2024-05-01T10:00:00Z");
    assertThat(feed.status()).isEqualTo(200);
    assertThat(feed.text()).contains("<service_request_updates><request_update>")
        .contains("<fixmystreet_id>555</fixmystreet_id>")
        .contains("<external_status_code>FIXED</external_status_code>");
    List<ReportUpdate> updates = Open311Decoder.updates(
        new WireParser().parse(feed.body(), Format.XML, "updates"), "updates");
    assertThat(updates).singleElement().satisfies(u -> {
      assertThat(u.serviceRequestId()).contains(crmId);
      assertThat(u.status()).contains(Status.FIXED);
      assertThat(u.updated().orElseThrow().toInstant().toString()).isEqualTo("2024-05-01T09:30:00Z");
    });
    // Outside the window: nothing, not even a near miss.
    assertThat(f.get("servicerequestupdates.xml", "api_key=" + ServerFixture.KEY
        + "&start_date=2024-05-01T09:31:00Z&end_date=2024-05-01T11:31:00Z").text())
        .doesNotContain("request_update>");
    // The update_id is stable across fetches.
    assertThat(f.get("servicerequestupdates.xml", "api_key=" + ServerFixture.KEY
        + "&start_date=2024-05-01T08:00:00Z&end_date=2024-05-01T10:00:00Z").text())
        .contains("<update_id>" + updates.get(0).updateId().orElseThrow() + "</update_id>");

    String comment = "api_key=" + ServerFixture.KEY + "&service_request_id=" + crmId
        + "&update_id=fms-c-1&status=OPEN&updated_datetime=2024-05-01T09%3A40%3A00%2B01%3A00"
        + "&description=Still+there%0D%0Aplease+look&first_name=Ada&last_name=L&email=a%40b.org";
    ServerResponse posted = f.postForm("servicerequestupdates.xml", comment);
    assertThat(posted.text()).contains("<service_request_updates><request_update>"
        + "<update_id>fms-c-1</update_id>");
    assertThat(f.postForm("servicerequestupdates.xml", comment).status()).isEqualTo(200);
    f.serveMode.work(ServerFixture.J);
    assertThat(f.crm.notes(crmId)).filteredOn(n -> n.text().contains("Still there\r\nplease look"))
        .hasSize(1);
  }

  @Test
  void citizenFixedClosesTheCrmCaseWhenConfigured() {
    f = new ServerFixture(dir, ServedJurisdiction.Mode.REALTIME);
    String crmId = ids(f.postForm("requests.xml", fmsReport("8"))).get(0);
    f.postForm("servicerequestupdates.xml", "api_key=" + ServerFixture.KEY
        + "&service_request_id=" + crmId + "&update_id=fms-c-2&status=FIXED"
        + "&updated_datetime=2024-05-01T09%3A10%3A00Z&description=Fixed+now");
    f.serveMode.work(ServerFixture.J);
    assertThat(f.crm.find(crmId).orElseThrow().closed()).isTrue();
  }

  @Test
  void servedRequestHidesContactAndPrivateCategoriesAreNotDisclosed() {
    f = new ServerFixture(dir, ServedJurisdiction.Mode.REALTIME);
    String pot = ids(f.postForm("requests.xml", fmsReport("76"))).get(0);
    ServerResponse one = f.get("requests/" + pot + ".xml", "");
    assertThat(one.text()).contains("<service_request_id>" + pot + "</service_request_id>")
        .contains("<lat>51.501009</lat>").contains("<service_name>Pothole</service_name>")
        .doesNotContain("ada@example.org").doesNotContain("Lovelace").doesNotContain("01234")
        .doesNotContain("<non_public>");
    String body = fmsReport("77").replace("service_code=POT", "service_code=LIGHT");
    String light = ids(f.postForm("requests.xml", body)).get(0);
    assertThat(f.get("requests/" + light + ".xml", "").status()).isEqualTo(404);
    assertThat(new String(f.get("requests.xml", "service_request_id=" + light + ",zzz," + pot)
        .body(), StandardCharsets.UTF_8)).contains(pot).doesNotContain(light);
    assertThat(f.get("requests/zzz.xml", "").status()).isEqualTo(404);
  }
}
