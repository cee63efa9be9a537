package org.civicsync.open311.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.civicsync.open311.Format;
import org.civicsync.open311.Open311Error;
import org.civicsync.open311.codec.Open311Decoder;
import org.civicsync.open311.codec.WireParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every client mistake: the error document, the right status, the field named; never a 500. */
class BadInputTest {
  @TempDir java.nio.file.Path dir;
  ServerFixture f;

  @AfterEach
  void tearDown() {
    f.close();
  }

  record Case(String name, int status, String mentions, Supplier<ServerResponse> call) {}

  private List<Case> cases() {
    String ok = "api_key=" + ServerFixture.KEY + "&service_code=POT&lat=51.5&long=-0.1";
    List<Case> c = new ArrayList<>();
    c.add(new Case("no api_key", 403, "api_key",
        () -> f.postForm("requests.xml", "service_code=POT&lat=1&long=1")));
    c.add(new Case("wrong api_key", 403, "api_key",
        () -> f.postForm("requests.xml", "api_key=guess&service_code=POT&lat=1&long=1")));
    c.add(new Case("updates GET without key", 403, "api_key", () -> f.get(
        "servicerequestupdates.xml", "start_date=2024-05-01T00:00:00Z&end_date=2024-05-01T01:00:00Z")));
    c.add(new Case("unknown jurisdiction", 404, "jurisdiction_id",
        () -> f.get("services.xml", "jurisdiction_id=elsewhere")));
    c.add(new Case("unknown route", 404, "no such resource", () -> f.get("secrets.xml", "")));
    c.add(new Case("missing service_code", 400, "service_code",
        () -> f.postForm("requests.xml", "api_key=" + ServerFixture.KEY + "&lat=1&long=1")));
    c.add(new Case("unknown service_code", 404, "service_code",
        () -> f.postForm("requests.xml", ok.replace("POT", "NOPE"))));
    c.add(new Case("no location", 400, "location",
        () -> f.postForm("requests.xml", "api_key=" + ServerFixture.KEY + "&service_code=POT")));
    c.add(new Case("lat not a number", 400, "lat",
        () -> f.postForm("requests.xml", ok.replace("lat=51.5", "lat=north"))));
    c.add(new Case("description too long", 400, "description",
        () -> f.postForm("requests.xml", ok + "&description=" + "x".repeat(4001))));
    c.add(new Case("invalid UTF-8", 400, "UTF-8", () -> f.server.handle(ServerRequest.post(
        "requests.xml", "application/x-www-form-urlencoded",
        (ok + "&description=%C3%28").getBytes(StandardCharsets.US_ASCII)))));
    c.add(new Case("oversized body", 413, "larger than", () -> f.postForm("requests.xml",
        ok + "&description=" + "y".repeat(70_000))));
    c.add(new Case("malformed multipart", 400, "multipart", () -> f.server.handle(
        ServerRequest.post("requests.xml", "multipart/form-data; boundary=XyZ",
            "--XyZ\r\nContent-Disposition: form-data; name=\"service_code\"\r\n\r\nPOT"
                .getBytes(StandardCharsets.UTF_8)))));
    c.add(new Case("XML body (XXE attempt)", 400, "Content-Type", () -> f.server.handle(
        ServerRequest.post("requests.xml", "text/xml", ("<?xml version=\"1.0\"?><!DOCTYPE x ["
            + "<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>").getBytes(StandardCharsets.UTF_8)))));
    c.add(new Case("missing start_date", 400, "start_date", () -> f.get(
        "servicerequestupdates.xml", "api_key=" + ServerFixture.KEY)));
    c.add(new Case("date without zone", 400, "start_date", () -> f.get("servicerequestupdates.xml",
        "api_key=" + ServerFixture.KEY + "&start_date=2024-05-01T00:00:00&end_date=2024-05-02T00:00:00Z")));
    c.add(new Case("update for unknown request", 404, "service_request_id", () -> f.postForm(
        "servicerequestupdates.xml", "api_key=" + ServerFixture.KEY + "&service_request_id=nope"
            + "&update_id=1&status=OPEN&updated_datetime=2024-05-01T09:00:00Z&description=x")));
    c.add(new Case("update with unknown status", 400, "status", () -> f.postForm(
        "servicerequestupdates.xml", "api_key=" + ServerFixture.KEY + "&service_request_id=x"
            + "&update_id=1&status=MAYBE&updated_datetime=2024-05-01T09:00:00Z&description=x")));
    c.add(new Case("update without update_id", 400, "update_id", () -> f.postForm(
        "servicerequestupdates.xml", "api_key=" + ServerFixture.KEY + "&service_request_id=x"
            + "&status=OPEN&updated_datetime=2024-05-01T09:00:00Z&description=x")));
    c.add(new Case("attribute not in its values", 400, "attribute[fixmystreet_id]",
        () -> f.postForm("requests.xml", ok + "&attribute[fixmystreet_id]=1&attribute[fixmystreet_id]=2")));
    c.add(new Case("PUT", 405, "method", () -> f.server.handle(new ServerRequest("PUT",
        "requests.xml", "", Optional.empty(), new byte[0]))));
    return c;
  }

  @Test
  void thousandsOfBadRequestsAreEachAnsweredWithAnErrorDocumentAndNothingIsLost() {
    f = new ServerFixture(dir, ServedJurisdiction.Mode.REALTIME);
    String good = FixMyStreetReplayTest.fmsReport("1");
    assertThat(f.postForm("requests.xml", good).status()).isEqualTo(200);
    List<Case> cases = cases();
    for (int round = 0; round < 150; round++) {
      for (Case c : cases) {
        ServerResponse r = c.call().get();
        assertThat(r.status()).as(c.name() + ": " + r.text()).isEqualTo(c.status());
        List<Open311Error> errors = Open311Decoder.errors(
            new WireParser().parse(r.body(), Format.XML, c.name()));
        assertThat(errors).as(c.name()).singleElement()
            .satisfies(e -> assertThat(e.description()).contains(c.mentions())
                .doesNotContain("Exception").doesNotContain(ServerFixture.KEY));
      }
    }
    // Still up, and the one good report is still there, once.
    assertThat(f.postForm("requests.xml", good).status()).isEqualTo(200);
    assertThat(f.crm.cases()).hasSize(1);
  }

  @Test
  void aReportTheStoreCannotKeepIsA503WithAReferenceAndPromisesNothing() {
    f = new ServerFixture(dir, ServedJurisdiction.Mode.QUEUED);
    f.store.receiptLog().orElseThrow().close(); // as a failed disk would: appends refused

    ServerResponse r = f.postForm("requests.xml", "api_key=" + ServerFixture.KEY
        + "&service_code=POT&lat=51.5&long=-0.1&attribute%5Bfixmystreet_id%5D=9");

    assertThat(r.status()).isEqualTo(503);
    assertThat(r.text()).contains("send again later").contains("reference")
        .doesNotContain("receipt").doesNotContain("Exception");
  }

  @Test
  void jsonRoutesAnswerJsonErrors() {
    f = new ServerFixture(dir, ServedJurisdiction.Mode.REALTIME);
    ServerResponse r = f.get("services/NOPE.json", "");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(r.text()).startsWith("[{\"code\":\"404\",\"description\":\"service_code 'NOPE'");
  }
}
