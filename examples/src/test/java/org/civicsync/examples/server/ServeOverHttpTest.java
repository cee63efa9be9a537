package org.civicsync.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.civicsync.core.crm.memory.InMemoryCrm;
import org.civicsync.core.store.H2Durability;
import org.civicsync.core.store.SyncStore;
import org.civicsync.core.store.SyncStores;
import org.civicsync.core.testing.MutableClock;
import org.civicsync.open311.server.Open311Server;
import org.civicsync.open311.server.ServedJurisdiction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The full round trip over real HTTP through the embedded Jetty host and the in-memory CRM. */
class ServeOverHttpTest {
  @TempDir Path dir;

  @Test
  void reportInCaseClosedFixedOutCommentInNoteInCrm() throws Exception {
    MutableClock clock = MutableClock.at("2024-05-01T09:00:00Z");
    InMemoryCrm crm = ServeExample.crm(clock);
    try (SyncStore store = SyncStores.h2File(dir.resolve("s"), H2Durability.PROCESS_CRASH, clock)) {
      Open311Server server = ServeExample.server(store, clock, crm, "k3y",
          ServedJurisdiction.Mode.REALTIME);
      try (JettyOpen311Host host = JettyOpen311Host.start(server, "127.0.0.1", 0, "/open311/v2/")) {
        String base = "http://127.0.0.1:" + host.port() + "/open311/v2/";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String report = "api_key=k3y&jurisdiction_id=example.council&service_code=POT"
            + "&description=Hole%0D%0Adeep&lat=51.5&long=-0.1&attribute%5Bfixmystreet_id%5D=42";
        HttpResponse<String> created = http.send(post(base + "requests.xml", report),
            HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.headers().firstValue("Content-Type")).hasValue("text/xml; charset=utf-8");
        Matcher id = Pattern.compile("<service_request_id>([^<]+)</service_request_id>")
            .matcher(created.body());
        assertThat(id.find()).as(created.body()).isTrue();
        String crmId = id.group(1);

        clock.advance(Duration.ofMinutes(10));
        crm.officer().close(crmId, "FIXED");
        server.serveMode().work(ServeExample.JURISDICTION);
        HttpResponse<String> feed = http.send(HttpRequest.newBuilder(URI.create(base
            + "servicerequestupdates.xml?jurisdiction_id=example.council&api_key=k3y"
            + "&start_date=2024-05-01T08:00:00Z&end_date=2024-05-01T10:00:00Z")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(feed.body()).contains("<service_request_id>" + crmId + "</service_request_id>")
            .contains("<status>fixed</status>").contains("<fixmystreet_id>42</fixmystreet_id>");

        HttpResponse<String> comment = http.send(post(base + "servicerequestupdates.xml",
            "api_key=k3y&service_request_id=" + crmId + "&update_id=c1&status=OPEN"
                + "&updated_datetime=2024-05-01T09:20:00Z&description=Thanks"),
            HttpResponse.BodyHandlers.ofString());
        assertThat(comment.body()).contains("<update_id>c1</update_id>");
        server.serveMode().work(ServeExample.JURISDICTION);
        assertThat(crm.notes(crmId)).anySatisfy(n -> assertThat(n.text()).contains("Thanks"));

        HttpResponse<String> big = http.send(post(base + "requests.xml", "x=" + "a".repeat(300_000)),
            HttpResponse.BodyHandlers.ofString());
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(big.body()).contains("<errors><error><code>413</code>");
      }
    }
  }

  @Test
  void requestsWindowServesReceivedAndCrmRaisedReportsInXmlAndJson() throws Exception {
    MutableClock clock = MutableClock.at("2024-05-01T09:00:00Z");
    InMemoryCrm crm = ServeExample.crm(clock);
    try (SyncStore store = SyncStores.h2File(dir.resolve("w"), H2Durability.PROCESS_CRASH, clock)) {
      Open311Server server = ServeExample.server(store, clock, crm, "k3y",
          ServedJurisdiction.Mode.REALTIME);
      try (JettyOpen311Host host = JettyOpen311Host.start(server, "127.0.0.1", 0, "/open311/v2/")) {
        String base = "http://127.0.0.1:" + host.port() + "/open311/v2/";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> created = http.send(post(base + "requests.xml",
            "api_key=k3y&service_code=POT&description=Hole&lat=51.5&long=-0.1"
                + "&email=someone%40example.org&attribute%5Bfixmystreet_id%5D=43"),
            HttpResponse.BodyHandlers.ofString());
        Matcher id = Pattern.compile("<service_request_id>([^<]+)</service_request_id>")
            .matcher(created.body());
        assertThat(id.find()).as(created.body()).isTrue();
        String received = id.group(1);
        clock.advance(Duration.ofMinutes(5));
        String raised = crm.officer().raiseCase("Pothole", org.civicsync.core.model.Report
            .builder().description("Phoned in").location(
                org.civicsync.core.model.Location.at("51.510000", "-0.120000")).build());
        server.serveMode().work(ServeExample.JURISDICTION);

        String window = "?start_date=2024-05-01T08:00:00Z&end_date=2024-05-01T10:00:00Z";
        HttpResponse<String> xml = http.send(HttpRequest.newBuilder(URI.create(base
            + "requests.xml" + window)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(xml.statusCode()).isEqualTo(200);
        assertThat(xml.body()).contains("<service_request_id>" + received + "</service_request_id>")
            .contains("<service_request_id>" + raised + "</service_request_id>")
            .contains("<lat>51.510000</lat>").doesNotContain("someone@example.org");
        assertThat(xml.body().indexOf(received)).isLessThan(xml.body().indexOf(raised));
        HttpResponse<String> json = http.send(HttpRequest.newBuilder(URI.create(base
            + "requests.json" + window + "&status=open&service_code=POT")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(json.headers().firstValue("Content-Type"))
            .hasValue("application/json; charset=utf-8");
        assertThat(json.body()).contains("\"service_request_id\":\"" + raised + "\"");
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(base
            + "requests.json?start_date=soon")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("start_date");
      }
    }
  }

  private static HttpRequest post(String url, String form) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build();
  }
}
