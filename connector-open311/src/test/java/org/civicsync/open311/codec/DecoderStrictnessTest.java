package org.civicsync.open311.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.civicsync.core.model.Report;
import org.civicsync.open311.Format;
import org.civicsync.open311.Open311FormatException;
import org.junit.jupiter.api.Test;

/**
 * Where guessing would corrupt data the decoder refuses, and its message names the call, the item,
 * the field and quotes the value, so that a council officer can tell the supplier what is wrong.
 */
class DecoderStrictnessTest {
  private static final WireParser PARSER = new WireParser();

  private static WireDocument xml(String body) {
    return PARSER.parse(body.getBytes(StandardCharsets.UTF_8), Format.XML, "test");
  }

  private static WireDocument json(String body) {
    return PARSER.parse(body.getBytes(StandardCharsets.UTF_8), Format.JSON, "test");
  }

  @Test
  void dateWithoutZoneNamesTheFieldPathAndQuotesTheValue() {
    WireDocument doc = xml("<service_requests><request><service_request_id>1</service_request_id>"
        + "<requested_datetime>2024-05-01T10:00:00Z</requested_datetime></request>"
        + "<request><service_request_id>2</service_request_id>"
        + "<requested_datetime>2024-05-01T10:00:00</requested_datetime></request></service_requests>");

    assertThatThrownBy(() -> Open311Decoder.requests(doc, "GET requests.xml"))
        .isInstanceOf(Open311FormatException.class)
        .hasMessageContaining("GET requests.xml: request[1].requested_datetime")
        .hasMessageContaining("'2024-05-01T10:00:00'")
        .hasMessageContaining("no zone");
  }

  @Test
  void dateWithoutZoneInAJsonUpdateFeedNamesTheFieldPath() {
    WireDocument doc = json("[{\"update_id\":\"9\",\"status\":\"open\","
        + "\"updated_datetime\":\"2024-05-01 10:00\"}]");

    assertThatThrownBy(() -> Open311Decoder.updates(doc, "GET servicerequestupdates.json"))
        .hasMessageContaining("GET servicerequestupdates.json: request_update[0].updated_datetime")
        .hasMessageContaining("'2024-05-01 10:00'");
  }

  @Test
  void unknownStatusWordNamesThePathAndTheVocabulary() {
    WireDocument doc = xml("<service_request_updates><request_update><update_id>1</update_id>"
        + "<status>open</status></request_update><request_update><update_id>2</update_id>"
        + "<status>resolved-ish</status></request_update></service_request_updates>");

    assertThatThrownBy(() -> Open311Decoder.updates(doc, "GET servicerequestupdates.xml"))
        .isInstanceOf(Open311FormatException.class)
        .hasMessageContaining("GET servicerequestupdates.xml: request_update[1].status")
        .hasMessageContaining("unknown status 'resolved-ish'")
        .hasMessageContaining("UNCHANGED");
  }

  @Test
  void nonNumericCoordinateNamesThePath() {
    WireDocument doc = json("{\"service_requests\":[{\"service_request_id\":\"1\","
        + "\"lat\":\"51.5N\",\"long\":\"0.1\"}]}");

    assertThatThrownBy(() -> Open311Decoder.requests(doc, "GET requests.json"))
        .hasMessageContaining("request[0].lat: not a number: '51.5N'");
  }

  @Test
  void repeatedSingleValueIsRefusedNotTruncated() {
    WireDocument doc = xml("<service_requests><request><service_request_id>1</service_request_id>"
        + "<service_request_id>2</service_request_id></request></service_requests>");

    assertThatThrownBy(() -> Open311Decoder.requests(doc, "GET requests.xml"))
        .hasMessageContaining("request[0].service_request_id: expected a single value, found a list of 2");
  }

  @Test
  void serviceWithAnEmptyCodeIsAnErrorNotSkipped() {
    WireDocument doc = xml("<services><service><service_code>A</service_code><service_name>A</service_name>"
        + "</service><service><service_code></service_code><service_name></service_name></service></services>");

    assertThatThrownBy(() -> Open311Decoder.services(doc, "GET services.xml"))
        .hasMessageContaining("GET services.xml: service[1].service_code: required but missing or empty");
  }

  @Test
  void itemWhoseFieldsAreAllEmptyStillCounts() {
    WireDocument doc = xml("<service_requests><request><service_request_id></service_request_id>"
        + "<description/></request><request><service_request_id>7</service_request_id></request>"
        + "</service_requests>");

    List<Report> reports = Open311Decoder.requests(doc, "x");

    assertThat(reports).hasSize(2);
    assertThat(reports.get(0).id()).isEmpty();
    assertThat(reports.get(1).id()).hasValue("7");
  }

  @Test
  void rootHoldingSomethingOtherThanItemsIsNotAnEmptyList() {
    WireDocument doc = xml("<response><message>Down for maintenance</message></response>");

    assertThatThrownBy(() -> Open311Decoder.services(doc, "GET services.xml"))
        .isInstanceOf(Open311FormatException.class)
        .hasMessageContaining("GET services.xml: expected <service> elements under <response>, found <message>");
  }

  @Test
  void rootHoldingOnlyTextIsNotAnEmptyList() {
    WireDocument doc = xml("<services>Service temporarily unavailable</services>");

    assertThatThrownBy(() -> Open311Decoder.services(doc, "GET services.xml"))
        .hasMessageContaining("found text 'Service temporarily unavailable'");
  }

  @Test
  void emptyRootIsAnEmptyList() {
    assertThat(Open311Decoder.requests(xml("<service_requests>\n</service_requests>"), "x")).isEmpty();
    assertThat(Open311Decoder.services(xml("<services/>"), "x")).isEmpty();
    assertThat(Open311Decoder.updates(json("[]"), "x")).isEmpty();
  }

  @Test
  void singleItemWithoutItsWrapperIsOneItem() {
    WireDocument doc = xml("<request><service_request_id>5</service_request_id></request>");

    assertThat(Open311Decoder.requests(doc, "x")).extracting(r -> r.id().orElseThrow()).containsExactly("5");
  }

  @Test
  void jsonObjectWithSeveralListsTakesTheOneNamedForTheItems() {
    WireDocument doc = json("{\"warnings\":[\"slow\"],\"service_requests\":[{\"service_request_id\":1}]}");

    assertThat(Open311Decoder.requests(doc, "x")).extracting(r -> r.id().orElseThrow()).containsExactly("1");
  }

  @Test
  void jsonObjectWithSeveralUnnamedListsIsRefusedRatherThanGuessed() {
    WireDocument doc = json("{\"a\":[],\"b\":[{\"service_request_id\":1}]}");

    assertThatThrownBy(() -> Open311Decoder.requests(doc, "GET requests.json"))
        .hasMessageContaining("GET requests.json: an object holding several lists [a, b]");
  }

  @Test
  void attributeValueWithoutAKeyIsRefused() {
    WireDocument doc = xml("<service_definition><service_code>X</service_code><attributes><attribute>"
        + "<code>c</code><values><value><key></key><name>Nameless</name></value></values>"
        + "</attribute></attributes></service_definition>");

    assertThatThrownBy(() -> Open311Decoder.serviceDefinition(doc, "GET services/X.xml"))
        .hasMessageContaining("attribute[0].value[0].key: required but missing or empty");
  }

  @Test
  void jsonRequestBodyThatIsNotOneObjectIsRefused() {
    assertThatThrownBy(() -> Open311Decoder.requestBody(json("[{},{}]"), "POST requests.json"))
        .hasMessageContaining("POST requests.json: request: expected one JSON object of request fields, found a list of 2");
  }

  @Test
  void formValueThatIsNotUtf8IsRefusedNamingTheField() {
    assertThatThrownBy(() -> FormFields.parse("service_code=1&description=Caf%E9+au+lait"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("field 'description' is not valid UTF-8");
  }

  @Test
  void formBodyBytesThatAreNotUtf8AreRefused() {
    byte[] body = {'a', '=', (byte) 0xE9};

    assertThatThrownBy(() -> FormFields.parse(body))
        .hasMessageContaining("the form body is not valid UTF-8");
  }

  @Test
  void brokenPercentEncodingNamesTheField() {
    assertThatThrownBy(() -> FormFields.parse("lat=51.5&description=100%+sure"))
        .hasMessageContaining("malformed percent-encoding in field 'description': '%+s'");
  }

  @Test
  void formUpdateWithABadStatusOrDateNamesTheField() {
    assertThatThrownBy(() -> FormCodec.readUpdate(FormFields.parse("update_id=1&status=DONE")))
        .hasMessageStartingWith("status: unknown status 'DONE'");
    assertThatThrownBy(() -> FormCodec.readUpdate(
        FormFields.parse("update_id=1&status=OPEN&updated_datetime=2024-05-01T10%3A00%3A00")))
        .hasMessageStartingWith("updated_datetime: invalid W3C datetime '2024-05-01T10:00:00'");
  }

  @Test
  void formKeepsMultiByteCharactersWhetherEncodedOrNot() {
    FormFields form = FormFields.parse("a=caf%C3%A9&b=café+😀&c=%F0%9F%98%80");

    assertThat(form.first("a")).hasValue("café");
    assertThat(form.first("b")).hasValue("café 😀");
    assertThat(form.first("c")).hasValue("😀");
  }
}
