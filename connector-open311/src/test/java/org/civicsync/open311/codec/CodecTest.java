package org.civicsync.open311.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.civicsync.core.model.AttributeValue;
import org.civicsync.core.model.Datatype;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.model.Service;
import org.civicsync.core.model.ServiceAttribute;
import org.civicsync.core.model.ServiceDefinition;
import org.civicsync.core.model.ServiceType;
import org.civicsync.core.model.Status;
import org.civicsync.open311.CreatedRequest;
import org.civicsync.open311.Discovery;
import org.civicsync.open311.Format;
import org.civicsync.open311.Open311Error;
import org.civicsync.open311.Open311FormatException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The codec against the project's own documents in {@code src/test/resources/open311/}: written
 * here, modelled on real endpoints (the GeoReport v2 examples, FixMyStreet, open311-adapter,
 * Helsinki, Bloomington), so that a fresh clone proves the codec without {@code ../shared}.
 */
class CodecTest {
  private static final WireParser PARSER = new WireParser();

  static byte[] bytes(String name) {
    try (InputStream in = CodecTest.class.getResourceAsStream("/open311/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test document open311/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static WireDocument doc(String name) {
    Format format = name.endsWith(".json") ? Format.JSON : Format.XML;
    return PARSER.parse(bytes(name), format, name);
  }

  private static OffsetDateTime odt(String w3c) {
    return OffsetDateTime.parse(w3c);
  }

  @Nested
  class Services {
    @Test
    void servicesReadGroupsWhicheverWayTheyAreWritten() {
      List<Service> s = Open311Decoder.services(doc("services.xml"), "GET services.xml");

      assertThat(s).extracting(Service::groups).containsExactly(
          List.of("Waste & Recycling", "Streets"),
          List.of("Anti-social behaviour"),
          List.of(),
          List.of("Roads", "Winter"));
    }

    @Test
    void serviceCodesStayTextWithTheirLeadingZeros() {
      assertThat(Open311Decoder.services(doc("services.xml"), "x")).extracting(Service::code)
          .containsExactly("007", "ASB_01", "LIGHT", "OLD_GRIT");
      assertThat(Open311Decoder.services(doc("services.json"), "x")).extracting(Service::code)
          .as("a JSON number and a zero-padded string").containsExactly("17", "0042");
    }

    @Test
    void keywordsAreSplitTrimmedAndTheMySocietyOnesRecognised() {
      List<Service> s = Open311Decoder.services(doc("services.xml"), "x");

      assertThat(s.get(0).keywords()).containsExactly("waste_only", "staff");
      assertThat(s.get(1).isPrivate()).isTrue();
      assertThat(s.get(2).keywords()).isEmpty();
      assertThat(s.get(3).isInactive()).isTrue();
      assertThat(Open311Decoder.services(doc("services.json"), "x").get(1).keywords())
          .containsExactly("rubbish", "dumping", "tipping");
    }

    @Test
    void entitiesAreDecodedAndEmptyElementsAreAbsent() {
      List<Service> s = Open311Decoder.services(doc("services.xml"), "x");

      assertThat(s.get(0).name()).isEqualTo("Bins & recycling not collected");
      assertThat(s.get(1).description()).as("<description></description>").isEmpty();
      assertThat(s.get(3).description()).as("no <description> at all").isEmpty();
    }

    @Test
    void metadataAndTypeAreReadFromTextOrJsonValues() {
      List<Service> xml = Open311Decoder.services(doc("services.xml"), "x");
      List<Service> json = Open311Decoder.services(doc("services.json"), "x");

      assertThat(xml).extracting(Service::metadata).containsExactly(true, false, false, false);
      assertThat(xml).extracting(Service::type).containsExactly(ServiceType.REALTIME,
          ServiceType.BATCH, ServiceType.REALTIME, ServiceType.BLACKBOX);
      assertThat(json).extracting(Service::metadata).as("JSON true and the string \"false\"")
          .containsExactly(true, false);
      assertThat(json.get(0).groups()).containsExactly("Cleanup & Sanitation");
      assertThat(json.get(1).groups()).containsExactly("Cleanup & Sanitation", "Enforcement");
      assertThat(json.get(1).description()).as("null").isEmpty();
    }

    @Test
    void aJsonServiceListMayBeWrappedInAnObject() {
      assertThat(Open311Decoder.services(doc("services-wrapped.json"), "x"))
          .extracting(Service::code).containsExactly("POT");
    }
  }

  @Nested
  class ServiceDefinitions {
    @Test
    void attributesAreSortedByOrderWhateverTheirDocumentOrder() {
      ServiceDefinition def = Open311Decoder.serviceDefinition(doc("service-definition.xml"), "x");

      assertThat(def.serviceCode()).as("read after <attributes>").isEqualTo("007");
      assertThat(def.attributes()).extracting(ServiceAttribute::code)
          .containsExactly("bin_colour", "uprn", "fixmystreet_id");
      assertThat(def.attributes()).extracting(ServiceAttribute::order).containsExactly(1, 2, 3);
    }

    @Test
    void valuesKeepDocumentOrderWhicheverChildComesFirst() {
      ServiceAttribute bins = Open311Decoder.serviceDefinition(doc("service-definition.xml"), "x")
          .attribute("bin_colour").orElseThrow();

      assertThat(bins.datatype()).isEqualTo(Datatype.MULTIVALUELIST);
      assertThat(bins.values()).containsExactly(new AttributeValue("G", "Green (garden)"),
          new AttributeValue("B", "Black (general)"), new AttributeValue("U", "Blue & recycling"));
    }

    @Test
    void automatedAttributesAreRecognised() {
      ServiceDefinition def = Open311Decoder.serviceDefinition(doc("service-definition.xml"), "x");

      ServiceAttribute id = def.attribute("fixmystreet_id").orElseThrow();
      assertThat(id.isServerSet()).isTrue();
      assertThat(id.variable()).isFalse();
      assertThat(id.required()).isTrue();
      assertThat(id.datatypeDescription()).as("empty element").isEmpty();
      ServiceAttribute uprn = def.attribute("uprn").orElseThrow();
      assertThat(uprn.automated()).hasValue("hidden_field");
      assertThat(uprn.isServerSet()).isFalse();
      assertThat(uprn.datatypeDescription()).as("no element").isEmpty();
      assertThat(def.attribute("bin_colour").orElseThrow().automated()).isEmpty();
    }

    @Test
    void jsonDefinitionReadsBooleansNumbersNullsAndStringsAlike() {
      ServiceDefinition def = Open311Decoder.serviceDefinition(doc("service-definition.json"), "x");

      assertThat(def.attributes()).extracting(ServiceAttribute::code).containsExactly("when", "bin_colour");
      ServiceAttribute when = def.attributes().get(0);
      assertThat(when.datatype()).isEqualTo(Datatype.DATETIME);
      assertThat(when.required()).as("\"false\"").isFalse();
      assertThat(when.variable()).as("\"true\"").isTrue();
      assertThat(when.values()).isEmpty();
      ServiceAttribute bins = def.attributes().get(1);
      assertThat(bins.required()).isTrue();
      assertThat(bins.datatypeDescription()).isEmpty();
      assertThat(bins.values()).as("numeric keys as text, a missing name falls back to the key")
          .containsExactly(new AttributeValue("3", "Green"), new AttributeValue("1", "Black"),
              new AttributeValue("2", "2"));
    }

    @Test
    void emptyAttributesElementMeansNoAttributes() {
      ServiceDefinition def = Open311Decoder.serviceDefinition(doc("service-definition-empty.xml"), "x");

      assertThat(def.serviceCode()).isEqualTo("LIGHT");
      assertThat(def.attributes()).isEmpty();
    }
  }

  @Nested
  class Requests {
    private final List<Report> xml = Open311Decoder.requests(doc("requests.xml"), "GET requests.xml");

    @Test
    void idsAndCodesStayTextWithLeadingZeros() {
      assertThat(xml).extracting(r -> r.id().orElseThrow()).containsExactly("000123", "000124");
      assertThat(xml.get(1).serviceCode()).hasValue("007");
    }

    @Test
    void offsetTimestampsKeepTheirOffsetAndConvertToTheRightInstant() {
      Report first = xml.get(0);

      assertThat(first.requested()).hasValue(odt("2024-03-31T00:30:00+01:00"));
      assertThat(first.requested().orElseThrow().toInstant()).isEqualTo(Instant.parse("2024-03-30T23:30:00Z"));
      assertThat(first.updated()).as("±hhmm and fractional seconds")
          .hasValue(odt("2024-03-31T09:15:00.250+01:00"));
      assertThat(xml.get(1).requested().orElseThrow().toInstant())
          .isEqualTo(Instant.parse("2024-01-16T04:59:59Z"));
    }

    @Test
    void emptyElementsAreAbsent() {
      Report first = xml.get(0);

      assertThat(first.statusNotes()).isEmpty();
      assertThat(first.agencyResponsible()).isEmpty();
      assertThat(first.serviceNotice()).as("self-closing").isEmpty();
      assertThat(first.expected()).isEmpty();
      assertThat(first.location().addressId()).isEmpty();
      assertThat(first.location().zipcode()).isEmpty();
    }

    @Test
    void textKeepsItsLinesAndEntitiesDecimalsKeepTheirDigits() {
      Report first = xml.get(0);

      assertThat(first.description()).hasValue("Light flickers all night.\nSecond line kept.");
      assertThat(first.location().address()).hasValue("1 High Street & Mill Lane");
      assertThat(first.location().coordinates().orElseThrow().lat().toPlainString()).isEqualTo("51.5074560");
      assertThat(first.location().coordinates().orElseThrow().lon().toPlainString()).isEqualTo("-0.1278000");
    }

    @Test
    void mediaUrlsAreReadBareOrNestedAndTrimmed() {
      assertThat(xml.get(0).mediaUrls())
          .containsExactly("https://example.org/photos/1.jpeg", "https://example.org/photos/2.jpeg");
      assertThat(xml.get(1).mediaUrls()).containsExactly("https://example.org/photos/3.jpeg");
    }

    @Test
    void extrasAndUnknownFieldsAreKeptByName() {
      assertThat(xml.get(0).extras()).containsExactly(Map.entry("group", "Lighting"),
          Map.entry("category", "Street light out"), Map.entry("council_ref", "SL/2024/77"));
      assertThat(xml.get(1).extras()).isEmpty();
    }

    @Test
    void nonPublicAndStatusesInAnyCase() {
      assertThat(xml).extracting(Report::nonPublic).containsExactly(false, true);
      assertThat(xml).extracting(r -> r.status().orElseThrow())
          .containsExactly(Status.OPEN, Status.IN_PROGRESS);
    }

    @Test
    void requestorNameIsSplitIntoFirstAndLastName() {
      assertThat(xml.get(1).contact().firstName()).hasValue("Ann Marie");
      assertThat(xml.get(1).contact().lastName()).hasValue("Jones");
    }

    @Test
    void jsonBareArrayReadsNumbersAsTextAndNullsAndEmptiesAsAbsent() {
      List<Report> json = Open311Decoder.requests(doc("requests-bare.json"), "GET requests.json");

      assertThat(json).extracting(r -> r.id().orElseThrow()).containsExactly("638344", "638349");
      Report first = json.get(0);
      assertThat(first.serviceCode()).hasValue("006");
      assertThat(first.location().addressId()).hasValue("545483");
      assertThat(first.location().coordinates().orElseThrow().lat()).isEqualTo(new BigDecimal("37.762221815"));
      assertThat(first.location().coordinates().orElseThrow().lon()).isEqualTo(new BigDecimal("-122.4651145"));
      assertThat(first.updated()).isEmpty();
      assertThat(first.description()).isEmpty();
      assertThat(first.mediaUrls()).isEmpty();
      assertThat(first.nonPublic()).isFalse();
      assertThat(first.requested().orElseThrow().toInstant()).isEqualTo(Instant.parse("2010-04-14T14:37:38Z"));
      assertThat(json.get(1).mediaUrls()).containsExactly("https://a.example/1.jpg", "https://a.example/2.jpg");
      assertThat(json.get(1).location().coordinates().orElseThrow().lat()).isEqualTo(new BigDecimal("37.76"));
    }

    @Test
    void jsonWrappedAsFixMyStreetWritesItReadsTheSameWay() {
      List<Report> json = Open311Decoder.requests(doc("requests-wrapped.json"), "GET requests.json");

      assertThat(json).hasSize(1);
      Report r = json.get(0);
      assertThat(r.id()).hasValue("42");
      assertThat(r.title()).hasValue("Pothole on Station Road");
      assertThat(r.status()).hasValue(Status.INVESTIGATING);
      assertThat(r.contact().firstName()).hasValue("Kim");
      assertThat(r.contact().lastName()).isEmpty();
      assertThat(r.extras()).containsEntry("detail", "Deep, near the bus stop")
          .containsEntry("comment_count", "3")
          .containsEntry("interface_used", "Web")
          .containsEntry("agency_sent_datetime", "2024-05-01T10:05:00+01:00")
          .doesNotContainKey("requestor_name");
      assertThat(r.mediaUrls()).containsExactly("https://fms.example/photo/42.full.jpeg");
    }
  }

  @Nested
  class Updates {
    private final List<ReportUpdate> xml =
        Open311Decoder.updates(doc("updates.xml"), "GET servicerequestupdates.xml");

    @Test
    void oddRootNameAndNoDeclarationAreRead() {
      assertThat(doc("updates.xml").root()).isEqualTo("service_requests_updates");
      assertThat(xml).extracting(u -> u.updateId().orElseThrow()).containsExactly("u-1", "u-2", "u-3");
    }

    @Test
    void statusesInUpperLowerAndSpacedFormsIncludingUnchanged() {
      assertThat(xml).extracting(u -> u.status().orElseThrow()).containsExactly(Status.FIXED,
          Status.NOT_COUNCILS_RESPONSIBILITY, Status.UNCHANGED);
      assertThat(xml.get(2).status().orElseThrow().changesState()).isFalse();
    }

    @Test
    void externalStatusCodeKeepsItsLeadingZeroAndFixMyStreetIdIsRead() {
      ReportUpdate u = xml.get(0);

      assertThat(u.externalStatusCode()).hasValue("060");
      assertThat(u.fixMyStreetId()).hasValue("4242");
      assertThat(u.serviceRequestId()).hasValue("000123");
      assertThat(u.mediaUrls()).containsExactly("https://crm.example/att/1.jpg");
      assertThat(u.updated().orElseThrow().toInstant()).isEqualTo(Instant.parse("2024-05-01T09:30:00Z"));
    }

    @Test
    void emptyDescriptionSelfClosingDatetimeAndExtras() {
      assertThat(xml.get(1).description()).isEmpty();
      assertThat(xml.get(1).updated().orElseThrow().toInstant()).isEqualTo(Instant.parse("2024-05-01T09:00:00Z"));
      assertThat(xml.get(1).customerReference()).hasValue("CR-9");
      assertThat(xml.get(1).extras()).containsExactly(Map.entry("category", "Highways England"));
      assertThat(xml.get(2).updated()).as("<updated_datetime />").isEmpty();
      assertThat(xml.get(2).extras()).containsExactly(Map.entry("service_request_id_ext", "99"));
    }

    @Test
    void jsonUpdatesWrappedInAnObject() {
      List<ReportUpdate> json = Open311Decoder.updates(doc("updates.json"), "x");

      assertThat(json).hasSize(1);
      ReportUpdate u = json.get(0);
      assertThat(u.updateId()).hasValue("7");
      assertThat(u.serviceRequestId()).hasValue("81");
      assertThat(u.status()).hasValue(Status.ACTION_SCHEDULED);
      assertThat(u.externalStatusCode()).hasValue("060");
      assertThat(u.updated()).hasValue(OffsetDateTime.of(2024, 5, 1, 9, 0, 0, 0, ZoneOffset.UTC));
      assertThat(u.mediaUrls()).isEmpty();
      assertThat(u.extras()).containsExactly(Map.entry("category", "Potholes"));
    }
  }

  @Nested
  class PostResponses {
    @Test
    void createdRequestReadsIdNoticeAndEmptyAccount() {
      CreatedRequest c = Open311Decoder.createdRequest(doc("post-request-response.xml"), "x");

      assertThat(c.serviceRequestId()).hasValue("000981");
      assertThat(c.token()).isEmpty();
      assertThat(c.serviceNotice()).hasValue("We aim to respond within 5 working days.");
      assertThat(c.accountId()).isEmpty();
    }

    @Test
    void createdRequestMayBeATokenOnly() {
      CreatedRequest c = Open311Decoder.createdRequest(doc("post-request-response-token.xml"), "x");

      assertThat(c.serviceRequestId()).isEmpty();
      assertThat(c.token()).hasValue("5c1e0a2b-batch");
    }

    @Test
    void emptyServiceRequestIdIsAFailureThatSaysSo() {
      assertThatThrownBy(() -> Open311Decoder.createdRequest(
          doc("post-request-response-empty-id.xml"), "POST requests.xml"))
          .isInstanceOf(Open311FormatException.class)
          .hasMessageContaining("POST requests.xml: request[0]: neither service_request_id nor token")
          .hasMessageContaining("an empty id is a failure");
    }

    @Test
    void jsonCreatedRequestReadsNumbersAsText() {
      CreatedRequest c = Open311Decoder.createdRequest(doc("post-request-response.json"), "x");

      assertThat(c.serviceRequestId()).hasValue("981");
      assertThat(c.serviceNotice()).isEmpty();
      assertThat(c.accountId()).hasValue("55");
    }

    @Test
    void postedUpdateIdIsReadAndAnEmptyOneIsAFailure() {
      assertThat(Open311Decoder.postedUpdateId(doc("post-update-response.xml"), "x")).isEqualTo("000981_3");
      assertThatThrownBy(() -> Open311Decoder.postedUpdateId(
          doc("post-update-response-empty-id.xml"), "POST servicerequestupdates.xml"))
          .isInstanceOf(Open311FormatException.class)
          .hasMessageContaining("request_update[0].update_id is empty");
    }

    @Test
    void tokenResolvesToAnIdOnceAssignedAndToNothingBefore() {
      assertThat(Open311Decoder.tokenResult(doc("token-response.xml"), "x")).hasValue("000981");
      assertThat(Open311Decoder.tokenResult(doc("token-response-pending.json"), "x")).isEmpty();
    }
  }

  @Nested
  class Errors {
    @Test
    void xmlErrorsKeepEveryPairIncludingAnEmptyCode() {
      WireDocument d = doc("errors.xml");

      assertThat(Open311Decoder.isErrorDocument(d)).isTrue();
      assertThat(Open311Decoder.errors(d)).containsExactly(
          new Open311Error("400", "service_code 'NOPE' not found"),
          new Open311Error("", "Duplicate Event! Original eventID: 77"));
    }

    @Test
    void jsonErrorsBareOrWrapped() {
      assertThat(Open311Decoder.isErrorDocument(doc("errors.json"))).isTrue();
      assertThat(Open311Decoder.errors(doc("errors.json")))
          .containsExactly(new Open311Error("403", "Invalid api_key received -- can't proceed."));
      assertThat(Open311Decoder.isErrorDocument(doc("errors-wrapped.json"))).isTrue();
      assertThat(Open311Decoder.errors(doc("errors-wrapped.json")))
          .containsExactly(new Open311Error("", "jurisdiction_id not recognised"));
    }

    @Test
    void ordinaryDocumentsAreNotMistakenForErrors() {
      for (String name : List.of("services.xml", "services.json", "requests-bare.json",
          "post-request-response.json", "token-response-pending.json", "updates.json",
          "discovery.json", "service-definition.json")) {
        assertThat(Open311Decoder.isErrorDocument(doc(name))).as(name).isFalse();
      }
    }
  }

  @Nested
  class Discoveries {
    @Test
    void changesetStaysTextAndEndpointsListTheirFormats() {
      Discovery xml = Open311Decoder.discovery(doc("discovery.xml"), "x");
      Discovery json = Open311Decoder.discovery(doc("discovery.json"), "x");

      assertThat(xml.changeset()).hasValue("2011-02-03 14:18");
      assertThat(json.changeset()).hasValue("2011-02-03 14:18");
      assertThat(xml.keyService()).hasValue("Ask the council for a key");
      assertThat(json.keyService()).isEmpty();
      assertThat(xml.endpoints()).hasSize(2);
      assertThat(xml.endpoints().get(0).formats()).containsExactly("text/xml", "application/json");
      assertThat(xml.endpoints().get(0).changeset()).hasValue("2024-05-01T00:00:00Z");
      assertThat(xml.endpoints().get(1).formats()).containsExactly("text/xml");
      assertThat(xml.endpoints().get(1).changeset()).isEmpty();
      assertThat(json.endpoints().get(0).url()).isEqualTo("https://open311.council.example/v2");
      assertThat(json.endpoints().get(0).formats()).containsExactly("text/xml", "application/json");
    }
  }

  @Nested
  class FormBodies {
    @Test
    void fixMyStreetStyleRequestBodyIsReadIntoAReport() {
      FormFields form = FormFields.parse(bytes("post-request-body.txt"));
      Report r = FormCodec.readRequest(form);

      assertThat(form.first("api_key")).hasValue("k3y");
      assertThat(form.first("phone")).as("sent empty means not sent").isEmpty();
      assertThat(r.serviceCode()).hasValue("007");
      assertThat(r.location().coordinates().orElseThrow().lon().toPlainString()).isEqualTo("-0.127800");
      assertThat(r.contact().email()).hasValue("ann@example.org");
      assertThat(r.contact().firstName()).hasValue("Ann Marie");
      assertThat(r.contact().deviceId()).as("FixMyStreet's deviceid").hasValue("abc-123");
      assertThat(r.contact().phone()).isEmpty();
      assertThat(r.description()).hasValue(
          "title: Bins missed\r\n\r\ndetail: Green and blue\r\n\r\nSubmitted via FixMyStreet\r\n");
      assertThat(r.mediaUrls()).containsExactly("https://fms.example/p/1.jpeg", "https://fms.example/p/2.jpeg");
      assertThat(r.fixMyStreetId()).hasValue("4242");
      assertThat(r.attributes().asMap()).as("repeated keys and [] both make lists").containsExactly(
          Map.entry("fixmystreet_id", List.of("4242")), Map.entry("bin_colour", List.of("G", "U")),
          Map.entry("size", List.of("small", "large")), Map.entry("notes", List.of("café €5")));
    }

    @Test
    void jsonRequestBodyIsReadLikeTheFormAndNeverKeepsTheApiKey() {
      Report r = Open311Decoder.requestBody(doc("post-request-body.json"), "POST requests.json");

      assertThat(r.serviceCode()).hasValue("180");
      assertThat(r.contact().lastName()).hasValue("Helsinkiläinen");
      assertThat(r.contact().deviceId()).hasValue("d-1");
      assertThat(r.location().address()).hasValue("Mannerheimintie 1");
      assertThat(r.location().coordinates().orElseThrow().lon().toPlainString()).isEqualTo("25.0081830");
      assertThat(r.attributes().asMap()).containsExactly(Map.entry("colour", List.of("green")),
          Map.entry("parts", List.of("seat", "leg")));
      assertThat(r.extras()).isEmpty();
    }

    @Test
    void updateBodyIsReadWithItsOffsetAndStatus() {
      ReportUpdate u = FormCodec.readUpdate(FormFields.parse(bytes("post-update-body.txt")));

      assertThat(u.serviceRequestId()).hasValue("000123");
      assertThat(u.updateId()).hasValue("u-1");
      assertThat(u.status()).hasValue(Status.FIXED);
      assertThat(u.updated()).hasValue(odt("2024-05-01T09:30:00+01:00"));
      assertThat(u.description()).hasValue("Lamp replaced.\r\nThanks.");
      assertThat(u.externalStatusCode()).hasValue("060");
      assertThat(u.mediaUrls()).containsExactly("https://crm.example/att/1.jpg");
    }

    @Test
    void requestFieldsReadBackToTheSameReport() {
      Report original = FormCodec.readRequest(FormFields.parse(bytes("post-request-body.txt")));

      for (FormCodec.MultiValueStyle style : FormCodec.MultiValueStyle.values()) {
        Report back = FormCodec.readRequest(FormFields.of(FormCodec.requestFields(original, style)));
        assertThat(back).as(style.name()).usingRecursiveComparison().isEqualTo(original);
      }
    }

    @Test
    void updateFieldsReadBackToTheSameUpdate() {
      ReportUpdate original = FormCodec.readUpdate(FormFields.parse(bytes("post-update-body.txt")));

      ReportUpdate back = FormCodec.readUpdate(FormFields.of(FormCodec.updateFields(original, true)));

      assertThat(back).usingRecursiveComparison().isEqualTo(original);
      assertThat(FormFields.of(FormCodec.updateFields(original, false)).first("status")).hasValue("CLOSED");
    }
  }
}
