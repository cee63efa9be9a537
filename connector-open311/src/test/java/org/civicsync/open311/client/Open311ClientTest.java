package org.civicsync.open311.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okXml;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.civicsync.core.model.Contact;
import org.civicsync.core.model.Location;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.model.Service;
import org.civicsync.core.model.ServiceDefinition;
import org.civicsync.core.model.Status;
import org.civicsync.core.resilience.ResiliencePolicy;
import org.civicsync.open311.CreatedRequest;
import org.civicsync.open311.Discovery;
import org.civicsync.open311.Format;
import org.civicsync.open311.Open311ErrorResponseException;
import org.civicsync.open311.Open311FormatException;
import org.civicsync.open311.codec.FormCodec.MultiValueStyle;
import org.civicsync.open311.codec.FormFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every operation over real HTTP: what was parsed, and what went over the wire. */
class Open311ClientTest {
  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance()
      .options(com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig()
          .dynamicPort().bindAddress("127.0.0.1"))
      .build();

  private final List<Duration> waits = new ArrayList<>();

  private Open311Client.Builder client() {
    return Open311Client.builder(wm.baseUrl() + "/open311/v2")
        .jurisdictionId("bristol.gov.uk")
        .apiKey("s3cret-key")
        .sleeper(waits::add)
        .resilience(ResiliencePolicy.builder().maxAttempts(3).build());
  }

  private static LoggedRequest only(List<LoggedRequest> requests) {
    assertThat(requests).hasSize(1);
    return requests.get(0);
  }

  @Test
  void servicesAreReadAndJurisdictionGoesInTheQueryButNotTheApiKey() {
    wm.stubFor(get(urlPathEqualTo("/open311/v2/services.xml")).willReturn(okXml("""
        <?xml version="1.0" encoding="utf-8"?>
        <services>
          <service><service_code>001</service_code><service_name>Potholes</service_name>
            <metadata>true</metadata><type>realtime</type><keywords>private, staff</keywords>
            <groups><group>Roads</group><group>Roads &amp; Paths</group></groups></service>
          <service><service_code>BIN</service_code><service_name>Bins</service_name>
            <metadata>false</metadata><type>batch</type><group>Waste</group></service>
        </services>""")));

    List<Service> services = client().build().services();

    assertThat(services).extracting(Service::code).containsExactly("001", "BIN");
    assertThat(services.get(0).groups()).containsExactly("Roads", "Roads & Paths");
    assertThat(services.get(0).isPrivate()).isTrue();
    assertThat(services.get(1).groups()).containsExactly("Waste");
    LoggedRequest sent = only(wm.findAll(getRequestedFor(urlPathEqualTo("/open311/v2/services.xml"))));
    assertThat(sent.queryParameter("jurisdiction_id").firstValue()).isEqualTo("bristol.gov.uk");
    assertThat(sent.getQueryParams()).doesNotContainKey("api_key");
    assertThat(sent.getHeader("Accept")).startsWith("text/xml");
  }

  @Test
  void jsonServicesMayComeWrappedInAnObject() {
    wm.stubFor(get(urlPathEqualTo("/open311/v2/services.json")).willReturn(okJson("""
        {"services":[{"service_code":12,"service_name":"Graffiti","metadata":false,
          "type":"realtime","keywords":"","group":"Street"}]}""")));

    List<Service> services = client().format(Format.JSON).build().services();

    assertThat(services).singleElement().satisfies(s -> {
      assertThat(s.code()).isEqualTo("12");
      assertThat(s.keywords()).isEmpty();
      assertThat(s.groups()).containsExactly("Street");
    });
    assertThat(only(wm.findAll(getRequestedFor(urlPathEqualTo("/open311/v2/services.json"))))
        .getHeader("Accept")).startsWith("application/json");
  }

  @Test
  void serviceDefinitionPathEncodesTheCodeAndSortsAttributesByOrder() {
    wm.stubFor(get(urlPathEqualTo("/open311/v2/services/LIGHT%201.xml")).willReturn(okXml("""
        <service_definition><service_code>LIGHT 1</service_code><attributes>
          <attribute><code>colour</code><datatype>singlevaluelist</datatype><order>2</order>
            <required>false</required><variable>true</variable><description>Colour</description>
            <values><value><key>r</key><name>Red</name></value><value><key>a</key><name>Amber</name></value></values>
          </attribute>
          <attribute><code>fixmystreet_id</code><datatype>string</datatype><order>1</order>
            <required>true</required><variable>false</variable><automated>server_set</automated>
            <description>FMS id</description></attribute>
        </attributes></service_definition>""")));

    ServiceDefinition definition = client().build().serviceDefinition("LIGHT 1");

    assertThat(definition.attributes()).extracting(a -> a.code())
        .containsExactly("fixmystreet_id", "colour");
    assertThat(definition.attributes().get(0).isServerSet()).isTrue();
    assertThat(definition.attributes().get(1).values()).extracting(v -> v.key())
        .containsExactly("r", "a");
  }

  @Test
  void discoveryKeepsTheChangesetAsText() {
    wm.stubFor(get(urlPathEqualTo("/open311/v2/discovery.json")).willReturn(okJson("""
        {"changeset":"2011-02-03 14:18","contact":"api@example.org","endpoints":[
          {"specification":"http://wiki.open311.org/GeoReport_v2","url":"https://example.org/v2",
           "type":"production","formats":["text/xml","application/json"]}]}""")));

    Discovery discovery = client().format(Format.JSON).build().discovery();

    assertThat(discovery.changeset()).contains("2011-02-03 14:18");
    assertThat(discovery.endpoints()).singleElement().satisfies(e -> {
      assertThat(e.url()).isEqualTo("https://example.org/v2");
      assertThat(e.formats()).containsExactly("text/xml", "application/json");
    });
  }

  private static Report pothole() {
    return Report.builder().serviceCode("POT")
        .description("title: Pothole\r\n\r\ndetail: deep one\r\n")
        .location(Location.at("51.454513", "-2.587910").withAddress("1 Corn St"))
        .contact(Contact.of("Jane", "Citizen", "jane@example.org", "01632 960001").withDeviceId("dev-1"))
        .addMediaUrl("https://example.org/p/1.jpg").addMediaUrl("https://example.org/p/2.jpg")
        .attribute("fixmystreet_id", "4242").attribute("hazards", "glass").attribute("hazards", "oil")
        .build();
  }

  @Test
  void createSendsAUtf8FormWithEveryFieldAndAnswersTheId() {
    wm.stubFor(post(urlPathEqualTo("/open311/v2/requests.xml")).willReturn(okXml(
        "<service_requests><request><service_request_id>248</service_request_id>"
            + "<service_notice>Thanks</service_notice></request></service_requests>")));

    CreatedRequest created = client().build().createRequest(pothole());

    assertThat(created.serviceRequestId()).contains("248");
    assertThat(created.token()).isEmpty();
    LoggedRequest sent = only(wm.findAll(postRequestedFor(urlPathEqualTo("/open311/v2/requests.xml"))));
    assertThat(sent.getHeader("Content-Type")).isEqualToIgnoringCase("application/x-www-form-urlencoded; charset=utf-8");
    FormFields form = FormFields.parse(sent.getBodyAsString());
    assertThat(form.first("api_key")).contains("s3cret-key");
    assertThat(form.first("jurisdiction_id")).contains("bristol.gov.uk");
    assertThat(form.first("service_code")).contains("POT");
    assertThat(form.first("lat")).contains("51.454513");
    assertThat(form.first("long")).contains("-2.587910");
    assertThat(form.first("address_string")).contains("1 Corn St");
    assertThat(form.first("email")).contains("jane@example.org");
    assertThat(form.first("device_id")).contains("dev-1");
    assertThat(form.first("description")).contains("title: Pothole\r\n\r\ndetail: deep one\r\n");
    assertThat(form.all("media_url")).containsExactly("https://example.org/p/1.jpg", "https://example.org/p/2.jpg");
    assertThat(form.all("attribute[hazards][]")).containsExactly("glass", "oil");
    assertThat(form.all("attribute[fixmystreet_id]")).containsExactly("4242");
    assertThat(wm.findAll(getRequestedFor(urlPathEqualTo("/open311/v2/requests.xml")))).isEmpty();
  }

  @Test
  void multiValuesCanBeSentAsRepeatedKeysLikeFixMyStreet() {
    wm.stubFor(post(urlPathEqualTo("/open311/v2/requests.xml")).willReturn(okXml(
        "<service_requests><request><service_request_id>1</service_request_id></request></service_requests>")));

    client().multiValueStyle(MultiValueStyle.REPEATED_KEY).build().createRequest(pothole());

    FormFields form = FormFields.parse(only(wm.findAll(postRequestedFor(
        urlPathEqualTo("/open311/v2/requests.xml")))).getBodyAsString());
    assertThat(form.all("attribute[hazards]")).containsExactly("glass", "oil");
    assertThat(form.all("attribute[hazards][]")).isEmpty();
    assertThat(form.attributes().get("hazards")).containsExactly("glass", "oil");
  }

  @Test
  void photosGoAsMultipartParts() {
    wm.stubFor(post(urlPathEqualTo("/open311/v2/requests.xml")).willReturn(okXml(
        "<service_requests><request><service_request_id>7</service_request_id></request></service_requests>")));
    byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00, 0x01};

    client().build().createRequest(pothole(), List.of(new Photo("hole.jpg", "image/jpeg", jpeg)));

    LoggedRequest sent = only(wm.findAll(postRequestedFor(urlPathEqualTo("/open311/v2/requests.xml"))));
    assertThat(sent.getHeader("Content-Type")).startsWith("multipart/form-data");
    assertThat(sent.getPart("photo1").getBody().asBytes()).isEqualTo(jpeg);
    assertThat(sent.getPart("photo1").getHeader("Content-Type").firstValue()).isEqualTo("image/jpeg");
    assertThat(sent.getPart("service_code").getBody().asString()).isEqualTo("POT");
    assertThat(sent.getPart("api_key").getBody().asString()).isEqualTo("s3cret-key");
  }

  @Test
  void aTokenIsPolledUntilTheIdIsReady() {
    wm.stubFor(post(urlPathEqualTo("/open311/v2/requests.xml")).willReturn(okXml(
        "<service_requests><request><token>abc-123</token></request></service_requests>")));
    wm.stubFor(get(urlPathEqualTo("/open311/v2/tokens/abc-123.xml")).inScenario("token")
        .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
        .willReturn(aResponse().withStatus(404).withBody(
            "<errors><error><code>404</code><description>not yet</description></error></errors>"))
        .willSetStateTo("ready"));
    wm.stubFor(get(urlPathEqualTo("/open311/v2/tokens/abc-123.xml")).inScenario("token")
        .whenScenarioStateIs("ready").willReturn(okXml(
            "<service_requests><request><service_request_id>SR-9</service_request_id>"
                + "<token>abc-123</token></request></service_requests>")));

    String id = client().tokenPolling(Duration.ofSeconds(2), 5).build()
        .createRequestAndAwaitId(pothole());

    assertThat(id).isEqualTo("SR-9");
    assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
    assertThat(wm.findAll(getRequestedFor(urlPathEqualTo("/open311/v2/tokens/abc-123.xml")))).hasSize(2);
  }

  @Test
  void aTokenThatNeverResolvesFailsAfterTheConfiguredTries() {
    wm.stubFor(get(urlPathEqualTo("/open311/v2/tokens/t1.xml")).willReturn(okXml(
        "<service_requests><request><token>t1</token></request></service_requests>")));

    assertThatThrownBy(() -> client().tokenPolling(Duration.ofSeconds(1), 3).build().awaitToken("t1"))
        .hasMessageContaining("t1").hasMessageContaining("3 polls");
    assertThat(waits).hasSize(3);
  }

  @Test
  void requestsAskForIdsInBatchesAndDropDuplicates() {
    wm.stubFor(get(urlPathEqualTo("/open311/v2/requests.xml")).willReturn(okXml("""
        <service_requests><request><service_request_id>1</service_request_id><status>open</status>
        <service_code>POT</service_code><requested_datetime>2024-05-01T10:00:00+01:00</requested_datetime>
        <lat>51.1</lat><long>-2.5</long></request></service_requests>""")));

    List<Report> reports = client().maxIdsPerCall(2).build()
        .requests(RequestQuery.ids(List.of("1", "2", "3", "4", "5")));

    assertThat(reports).hasSize(1);
    assertThat(reports.get(0).requested().orElseThrow().toInstant())
        .isEqualTo(OffsetDateTime.parse("2024-05-01T09:00:00Z").toInstant());
    List<String> asked = wm.findAll(getRequestedFor(urlPathEqualTo("/open311/v2/requests.xml"))).stream()
        .map(r -> r.queryParameter("service_request_id").firstValue()).toList();
    assertThat(asked).containsExactly("1,2", "3,4", "5");
  }

  @Test
  void aWindowLongerThanNinetyDaysIsSplit() {
    wm.stubFor(get(urlPathEqualTo("/open311/v2/requests.xml")).willReturn(okXml("<service_requests/>")));

    client().build().requests(RequestQuery.builder()
        .start(OffsetDateTime.parse("2024-01-01T00:00:00Z"))
        .end(OffsetDateTime.parse("2024-05-01T00:00:00+01:00"))
        .serviceCodes(List.of("POT", "LIGHT")).status("open").build());

    List<LoggedRequest> sent = wm.findAll(getRequestedFor(urlPathEqualTo("/open311/v2/requests.xml")));
    assertThat(sent).extracting(r -> r.queryParameter("start_date").firstValue() + ".."
            + r.queryParameter("end_date").firstValue())
        .containsExactly("2024-01-01T00:00:00Z..2024-03-31T00:00:00Z",
            "2024-03-31T00:00:00Z..2024-04-30T23:00:00Z");
    assertThat(sent).allSatisfy(r -> {
      assertThat(r.queryParameter("service_code").firstValue()).isEqualTo("POT,LIGHT");
      assertThat(r.queryParameter("status").firstValue()).isEqualTo("open");
    });
  }

  private static String requestsXml(String... ids) {
    StringBuilder xml = new StringBuilder("<service_requests>");
    for (String id : ids) {
      xml.append("<request><service_request_id>").append(id)
          .append("</service_request_id><status>open</status></request>");
    }
    return xml.append("</service_requests>").toString();
  }

  @Test
  void aFullPageNarrowsTheWindowUntilNothingIsMissed() {
    String start = "2024-05-01T00:00:00Z";
    String middle = "2024-05-01T12:00:00Z";
    String end = "2024-05-02T00:00:00Z";
    wm.stubFor(get(urlPathEqualTo("/open311/v2/requests.xml"))
        .withQueryParam("start_date", equalTo(start)).withQueryParam("end_date", equalTo(end))
        .willReturn(okXml(requestsXml("a", "b", "c"))));
    wm.stubFor(get(urlPathEqualTo("/open311/v2/requests.xml"))
        .withQueryParam("start_date", equalTo(start)).withQueryParam("end_date", equalTo(middle))
        .willReturn(okXml(requestsXml("a", "b"))));
    wm.stubFor(get(urlPathEqualTo("/open311/v2/requests.xml"))
        .withQueryParam("start_date", equalTo(middle)).withQueryParam("end_date", equalTo(end))
        .willReturn(okXml(requestsXml("b", "c", "d").replace("<request><service_request_id>d", "<request><service_request_id>d"))));

    // pageLimit 3: the whole day and the second half come back full and are narrowed further.
    wm.stubFor(get(urlPathEqualTo("/open311/v2/requests.xml"))
        .withQueryParam("start_date", equalTo(middle)).withQueryParam("end_date", equalTo("2024-05-01T18:00:00Z"))
        .willReturn(okXml(requestsXml("b", "c"))));
    wm.stubFor(get(urlPathEqualTo("/open311/v2/requests.xml"))
        .withQueryParam("start_date", equalTo("2024-05-01T18:00:00Z")).withQueryParam("end_date", equalTo(end))
        .willReturn(okXml(requestsXml("d", "e"))));

    List<Report> reports = client().pageLimit(3).build()
        .requests(RequestQuery.between(OffsetDateTime.parse(start), OffsetDateTime.parse(end)));

    assertThat(reports).extracting(r -> r.id().orElseThrow()).containsExactly("a", "b", "c", "d", "e");
    assertThat(wm.findAll(getRequestedFor(urlPathEqualTo("/open311/v2/requests.xml")))).hasSize(5);
  }

  @Test
  void oneRequestByIdAndA404IsEmpty() {
    wm.stubFor(get(urlPathEqualTo("/open311/v2/requests/638344.json")).willReturn(okJson("""
        [{"service_request_id":638344,"status":"closed","status_notes":"Duplicate request.",
          "service_code":"006","lat":37.762221815,"long":-122.4651145,
          "requested_datetime":"2010-04-14T06:37:38-08:00","media_url":"http://x/y.jpg "}]""")));
    wm.stubFor(get(urlPathEqualTo("/open311/v2/requests/404.json")).willReturn(aResponse()
        .withStatus(404).withBody("[{\"code\":404,\"description\":\"no such request\"}]")));
    Open311Client client = client().format(Format.JSON).build();

    Report report = client.request("638344").orElseThrow();

    assertThat(report.id()).contains("638344");
    assertThat(report.status()).contains(Status.CLOSED);
    assertThat(report.serviceCode()).contains("006");
    assertThat(report.location().coordinates().orElseThrow().lat().toPlainString()).isEqualTo("37.762221815");
    assertThat(report.mediaUrls()).containsExactly("http://x/y.jpg");
    assertThat(client.request("404")).isEmpty();
  }

  @Test
  void updatesAlwaysCarryTheApiKeyInTheQueryAndTheWindowInUtc() {
    wm.stubFor(get(urlPathEqualTo("/open311/v2/servicerequestupdates.xml")).willReturn(okXml("""
        <service_requests_updates><request_update><update_id>u1</update_id>
          <service_request_id>81</service_request_id><status>FIXED</status>
          <description>Mended</description><updated_datetime>2024-05-01T10:00:00+01:00</updated_datetime>
          <external_status_code>060</external_status_code><fixmystreet_id>4242</fixmystreet_id>
        </request_update></service_requests_updates>""")));

    List<ReportUpdate> updates = client().apiKey(null).build().updates(
        OffsetDateTime.parse("2024-05-01T09:00:00+01:00"), OffsetDateTime.parse("2024-05-01T11:00:00+01:00"));

    assertThat(updates).singleElement().satisfies(u -> {
      assertThat(u.status()).contains(Status.FIXED);
      assertThat(u.externalStatusCode()).contains("060");
      assertThat(u.matchingId()).contains("4242");
    });
    LoggedRequest sent = only(wm.findAll(getRequestedFor(urlPathEqualTo("/open311/v2/servicerequestupdates.xml"))));
    assertThat(sent.queryParameter("api_key").firstValue()).isEmpty();
    assertThat(sent.queryParameter("start_date").firstValue()).isEqualTo("2024-05-01T08:00:00Z");
    assertThat(sent.queryParameter("end_date").firstValue()).isEqualTo("2024-05-01T10:00:00Z");
  }

  private static ReportUpdate fixedUpdate() {
    return ReportUpdate.builder().serviceRequestId("81").updateId("crm-81-7").status(Status.FIXED)
        .description("Filled in").updated(OffsetDateTime.parse("2024-05-01T10:00:00Z"))
        .externalStatusCode("CLOSED_FIXED").build();
  }

  @Test
  void postUpdateSendsTheExtensionFieldsAndAnswersTheUpdateId() {
    wm.stubFor(post(urlPathEqualTo("/open311/v2/servicerequestupdates.xml")).willReturn(okXml(
        "<service_request_updates><request_update><update_id>ezytreev-248</update_id></request_update></service_request_updates>")));

    String id = client().build().postUpdate(fixedUpdate());

    assertThat(id).isEqualTo("ezytreev-248");
    FormFields form = FormFields.parse(only(wm.findAll(postRequestedFor(
        urlPathEqualTo("/open311/v2/servicerequestupdates.xml")))).getBodyAsString());
    assertThat(form.first("status")).contains("FIXED");
    assertThat(form.first("update_id")).contains("crm-81-7");
    assertThat(form.first("service_request_id")).contains("81");
    assertThat(form.first("updated_datetime")).contains("2024-05-01T10:00:00Z");
    assertThat(form.first("external_status_code")).contains("CLOSED_FIXED");
    assertThat(form.first("api_key")).contains("s3cret-key");
  }

  @Test
  void aPlainPeerIsSentClosedForFixed() {
    wm.stubFor(post(urlPathEqualTo("/open311/v2/servicerequestupdates.xml")).willReturn(okXml(
        "<service_request_updates><request_update><update_id>1</update_id></request_update></service_request_updates>")));

    client().extendedStatuses(false).build().postUpdate(fixedUpdate());

    assertThat(FormFields.parse(only(wm.findAll(postRequestedFor(urlPathEqualTo(
        "/open311/v2/servicerequestupdates.xml")))).getBodyAsString()).first("status")).contains("CLOSED");
  }

  @Test
  void anEmptyIdInTheAnswerIsAFailure() {
    wm.stubFor(post(urlPathEqualTo("/open311/v2/requests.xml")).willReturn(okXml(
        "<service_requests><request><service_request_id></service_request_id></request></service_requests>")));

    assertThatThrownBy(() -> client().build().createRequest(pothole()))
        .isInstanceOf(Open311FormatException.class).hasMessageContaining("neither service_request_id nor token");
  }

  @Test
  void errorsCarryTheStatusAndEveryPair() {
    wm.stubFor(get(urlPathEqualTo("/open311/v2/services/NOPE.xml")).willReturn(aResponse().withStatus(404)
        .withBody("<errors><error><code>404</code><description>unknown service_code NOPE</description></error>"
            + "<error><code>400</code><description>jurisdiction_id bad</description></error></errors>")));

    assertThatThrownBy(() -> client().build().serviceDefinition("NOPE"))
        .isInstanceOfSatisfying(Open311ErrorResponseException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(404);
          assertThat(e.errors()).extracting(x -> x.code() + "=" + x.description())
              .containsExactly("404=unknown service_code NOPE", "400=jurisdiction_id bad");
          assertThat(e.isRetryable()).isFalse();
        });
    assertThat(wm.findAll(getRequestedFor(urlPathEqualTo("/open311/v2/services/NOPE.xml")))).hasSize(1);
  }

  @Test
  void anErrorsDocumentInsideA200IsAFailure() {
    wm.stubFor(post(urlPathEqualTo("/open311/v2/requests.xml")).willReturn(okXml(
        "<?xml version=\"1.0\"?><errors><error><code></code><description>Duplicate Event! Original eventID: 123"
            + "</description></error></errors>")));

    assertThatThrownBy(() -> client().build().createRequest(pothole()))
        .isInstanceOfSatisfying(Open311ErrorResponseException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(200);
          assertThat(e.errors()).singleElement().satisfies(x -> {
            assertThat(x.code()).isEmpty();
            assertThat(x.description()).contains("Original eventID: 123");
          });
        });
  }

  @Test
  void aBodyThatIsNeitherQuotesItsFirstBytes() {
    wm.stubFor(get(urlPathEqualTo("/open311/v2/requests.xml")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "text/html").withBody("<html><body><h1>Choose a council</h1></body></html>")));
    wm.stubFor(get(urlPathEqualTo("/open311/v2/services.xml")).willReturn(aResponse().withStatus(200)
        .withBody("Service temporarily unavailable")));
    Open311Client client = client().build();

    assertThatThrownBy(() -> client.requestsOnce(java.util.Map.of()))
        .isInstanceOf(Open311FormatException.class).hasMessageContaining("HTML page")
        .hasMessageContaining("Choose a council");
    assertThatThrownBy(client::services)
        .isInstanceOf(Open311FormatException.class).hasMessageContaining("'Service temporarily unavailable'");
  }

  @Test
  void anXxeDocumentIsRefusedAndNothingFromTheFileLeaks() {
    wm.stubFor(get(urlPathEqualTo("/open311/v2/services.xml")).willReturn(okXml(
        "<?xml version=\"1.0\"?><!DOCTYPE services [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
            + "<services><service><service_code>&xxe;</service_code><service_name>x</service_name></service></services>")));

    assertThatThrownBy(() -> client().build().services())
        .isInstanceOf(Open311FormatException.class).hasMessageContaining("DOCTYPE")
        .hasMessageNotContaining("root:");
  }
}
