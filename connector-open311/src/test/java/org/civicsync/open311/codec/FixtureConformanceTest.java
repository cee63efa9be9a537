package org.civicsync.open311.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.civicsync.core.model.AttributeValue;
import org.civicsync.core.model.Coordinates;
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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real wire document listed in {@code ../shared/fixtures/open311/MANIFEST.tsv}, decoded by its
 * kind and format, must show that row's {@code expected_facts}.
 *
 * <p>Each file has its own check below, written from the manifest's facts; a row without a check
 * fails, so a document added to the manifest cannot slip through untested. A fresh clone has no
 * {@code ../shared}: the test then says that it skipped, and the project's own documents
 * ({@code CodecTest}) still prove the codec.
 */
class FixtureConformanceTest {
  private static final String FOLDER = "shared/fixtures/open311";
  private static final WireParser PARSER = new WireParser();
  private static final Map<String, Check> CHECKS = new LinkedHashMap<>();

  /** A manifest row; {@code toString} is the file, which names the test case. */
  record Row(int line, String file, String repo, String commit, String path, String lineRange,
      String kind, String format, String notes, String expectedFacts) {
    @Override
    public String toString() {
      return file;
    }
  }

  @FunctionalInterface
  interface Check {
    void verify(Decoded d) throws Exception;
  }

  static Stream<Row> rows() throws IOException {
    Optional<Path> folder = fixtures();
    if (folder.isEmpty()) {
      // One placeholder so that the run reports a skip with its reason, not "no arguments".
      return Stream.of(new Row(0, "(no fixtures)", "", "", "", "", "", "", "", ""));
    }
    List<String> lines = Files.readAllLines(folder.get().resolve("MANIFEST.tsv"), StandardCharsets.UTF_8);
    assertThat(lines.get(0)).startsWith("file\trepo\tcommit\tpath\tline_range\tkind\tformat\tnotes\texpected_facts");
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      String[] c = lines.get(i).split("\t", -1);
      assertThat(c).as("MANIFEST.tsv line %d has 9 tab-separated columns", i + 1).hasSize(9);
      rows.add(new Row(i + 1, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]));
    }
    assertThat(rows).as("rows in MANIFEST.tsv").isNotEmpty();
    return rows.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void documentShowsTheFactsItsManifestRowPromises(Row row) throws Exception {
    Path folder = fixtures().orElse(null);
    if (folder == null) {
      Assumptions.abort("../" + FOLDER + " not found above " + System.getProperty("user.dir")
          + ": fixture conformance skipped");
    }
    Check check = CHECKS.get(row.file());
    if (check == null) {
      fail("MANIFEST.tsv line " + row.line() + " (" + row.file() + ") has no check in "
          + getClass().getSimpleName() + ": write one from its expected_facts: " + row.expectedFacts());
    }
    byte[] bytes = Files.readAllBytes(folder.resolve(row.file()));
    check.verify(decode(row, bytes));
  }

  @Test
  void everyCheckNamesARowOfTheManifest() throws IOException {
    Assumptions.assumeTrue(fixtures().isPresent(),
        "../" + FOLDER + " not found: fixture conformance skipped");
    List<String> files = rows().map(Row::file).toList();
    assertThat(files).as("MANIFEST.tsv files").doesNotHaveDuplicates();
    assertThat(files).as("rows that the checks were written for").containsAll(CHECKS.keySet());
  }

  // ---------------------------------------------------------------- locating and decoding

  /** Walks up from the working directory looking for {@code shared/fixtures/open311} beside it. */
  static Optional<Path> fixtures() {
    for (Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath(); dir != null;
        dir = dir.getParent()) {
      Path candidate = dir.resolve(FOLDER);
      if (Files.isRegularFile(candidate.resolve("MANIFEST.tsv"))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** What a document decodes to by its row's kind, or the exception that refused it. */
  record Decoded(Row row, byte[] bytes, WireDocument doc, Object decoded, RuntimeException failure) {
    @SuppressWarnings("unchecked")
    <T> T value() {
      if (failure != null) {
        throw new AssertionError(row.file() + " (" + row.kind() + ") was refused: "
            + failure.getMessage(), failure);
      }
      return (T) decoded;
    }

    List<Service> services() {
      return value();
    }

    ServiceDefinition definition() {
      return value();
    }

    List<Report> requests() {
      return value();
    }

    List<ReportUpdate> updates() {
      return value();
    }

    CreatedRequest created() {
      return value();
    }

    String postedUpdateId() {
      return value();
    }

    Optional<String> tokenResult() {
      return value();
    }

    List<Open311Error> errors() {
      return value();
    }

    Discovery discovery() {
      return value();
    }

    Report requestBody() {
      return value();
    }

    FormFields form() {
      return FormFields.parse(bytes);
    }

    RuntimeException refusal() {
      if (failure == null) {
        throw new AssertionError(row.file() + " should have been refused, but decoded to " + decoded);
      }
      return failure;
    }

    String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  static Decoded decode(Row row, byte[] bytes) {
    String what = row.file();
    if (row.format().equals("form-urlencoded")) {
      assertThat(row.kind()).isEqualTo("post-request-body");
      try {
        return new Decoded(row, bytes, null,
            FormCodec.readRequest(FormFields.parse(bytes)), null);
      } catch (IllegalArgumentException e) {
        return new Decoded(row, bytes, null, null, e);
      }
    }
    Format format = Format.parse(row.format());
    assertThat(WireParser.sniff(bytes)).as("%s: format sniffed from its first byte", what)
        .isEqualTo(format);
    WireDocument doc = PARSER.parse(bytes, format, what);
    assertThat(Open311Decoder.isErrorDocument(doc))
        .as("%s (%s) is recognised as an error document exactly when it is one", what, row.kind())
        .isEqualTo(row.kind().equals("errors"));
    Function<WireDocument, Object> decoder = switch (row.kind()) {
      case "services" -> d -> Open311Decoder.services(d, what);
      case "service-definition" -> d -> Open311Decoder.serviceDefinition(d, what);
      case "requests", "request" -> d -> Open311Decoder.requests(d, what);
      case "updates" -> d -> Open311Decoder.updates(d, what);
      case "post-request-response" -> d -> Open311Decoder.createdRequest(d, what);
      case "post-update-response" -> d -> Open311Decoder.postedUpdateId(d, what);
      case "token-response" -> d -> Open311Decoder.tokenResult(d, what);
      case "errors" -> Open311Decoder::errors;
      case "discovery" -> d -> Open311Decoder.discovery(d, what);
      case "post-request-body" -> d -> Open311Decoder.requestBody(d, what);
      default -> throw new AssertionError(what + ": unknown kind '" + row.kind() + "' in MANIFEST.tsv");
    };
    try {
      return new Decoded(row, bytes, doc, decoder.apply(doc), null);
    } catch (Open311FormatException e) {
      return new Decoded(row, bytes, doc, null, e);
    }
  }

  // ---------------------------------------------------------------- helpers for the checks

  private static void check(String file, Check check) {
    if (CHECKS.put(file, check) != null) {
      throw new IllegalStateException("two checks for " + file);
    }
  }

  private static Instant instant(String utc) {
    return Instant.parse(utc);
  }

  private static OffsetDateTime odt(String w3c) {
    return OffsetDateTime.parse(w3c);
  }

  private static List<String> codes(List<Service> services) {
    return services.stream().map(Service::code).toList();
  }

  private static List<String> attributeCodes(ServiceDefinition definition) {
    return definition.attributes().stream().map(ServiceAttribute::code).toList();
  }

  private static List<String> ids(List<Report> reports) {
    return reports.stream().map(r -> r.id().orElseThrow()).toList();
  }

  private static Coordinates point(Report r) {
    return r.location().coordinates().orElseThrow(() -> new AssertionError(r + " has no point"));
  }

  private static void assertPoint(Report r, String lat, String lon) {
    Coordinates p = point(r);
    assertThat(p.lat()).as("lat of %s", r).isEqualByComparingTo(new BigDecimal(lat));
    assertThat(p.lon()).as("long of %s", r).isEqualByComparingTo(new BigDecimal(lon));
  }

  private static void assertAttribute(ServiceAttribute a, String code, Datatype datatype,
      boolean required, boolean variable, int order) {
    assertThat(a.code()).isEqualTo(code);
    assertThat(a.datatype()).as("%s datatype", code).isEqualTo(datatype);
    assertThat(a.required()).as("%s required", code).isEqualTo(required);
    assertThat(a.variable()).as("%s variable", code).isEqualTo(variable);
    assertThat(a.order()).as("%s order", code).isEqualTo(order);
  }

  /** The spec's request 638344 (closed, a duplicate) as the spec and its copies write it. */
  private static void assertSpecRequest638344(Report r, String mediaUrl) {
    assertThat(r.id()).hasValue("638344");
    assertThat(r.status()).hasValue(Status.CLOSED);
    assertThat(r.statusNotes()).hasValue("Duplicate request.");
    assertThat(r.serviceName()).hasValue("Sidewalk and Curb Issues");
    assertThat(r.serviceCode()).as("service_code keeps its leading zeros").hasValue("006");
    assertThat(r.description()).as("empty <description> is absent").isEmpty();
    assertThat(r.agencyResponsible()).isEmpty();
    assertThat(r.serviceNotice()).isEmpty();
    assertThat(r.requested()).hasValue(odt("2010-04-14T06:37:38-08:00"));
    assertThat(r.requested().orElseThrow().toInstant()).isEqualTo(instant("2010-04-14T14:37:38Z"));
    assertThat(r.updated()).hasValue(odt("2010-04-14T06:37:38-08:00"));
    assertThat(r.expected()).hasValue(odt("2010-04-15T06:37:38-08:00"));
    assertThat(r.expected().orElseThrow().toInstant()).isEqualTo(instant("2010-04-15T14:37:38Z"));
    assertThat(r.location().address()).hasValue("8TH AVE and JUDAH ST");
    assertThat(r.location().addressId()).hasValue("545483");
    assertThat(r.location().zipcode()).hasValue("94122");
    assertPoint(r, "37.762221815", "-122.4651145");
    assertThat(point(r).lat().toPlainString()).as("decimals kept exactly").isEqualTo("37.762221815");
    // The document has "….jpg " with a trailing space inside <media_url>. A URL cannot end in a
    // space (RFC 3986), so the codec strips it like every other value; the raw bytes prove the
    // space was there to strip.
    assertThat(r.mediaUrls()).containsExactly(mediaUrl);
    assertThat(r.extras()).isEmpty();
    assertThat(r.nonPublic()).isFalse();
  }

  private static void assertSpecRequests(Decoded d) {
    List<Report> rs = d.requests();
    assertThat(ids(rs)).containsExactly("638344", "638349");
    assertSpecRequest638344(rs.get(0), "http://city.gov.s3.amazonaws.com/requests/media/638344.jpg");
    Report second = rs.get(1);
    assertThat(second.status()).hasValue(Status.OPEN);
    assertThat(second.statusNotes()).isEmpty();
    assertThat(second.serviceCode()).hasValue("006");
    assertThat(second.requested().orElseThrow().toInstant()).isEqualTo(instant("2010-04-19T14:37:38Z"));
    assertThat(second.mediaUrls())
        .containsExactly("http://city.gov.s3.amazonaws.com/requests/media/638349.jpg");
  }

  private static void assertSpecServices(Decoded d, boolean metadata) {
    List<Service> s = d.services();
    assertThat(codes(s)).as("codes are strings with leading zeros").containsExactly("001", "002", "003");
    assertThat(s).allSatisfy(service -> {
      assertThat(service.metadata()).isEqualTo(metadata);
      assertThat(service.type()).isEqualTo(ServiceType.REALTIME);
      assertThat(service.keywords()).containsExactly("lorem", "ipsum", "dolor");
    });
    assertThat(s).extracting(Service::groups)
        .containsExactly(List.of("sanitation"), List.of("street"), List.of("street"));
    assertThat(s.get(0).name()).isEqualTo("Cans left out 24x7");
    assertThat(s.get(1).name()).as("service_name after group still read")
        .isEqualTo("Construction plate shifted");
    assertThat(s.get(2).name()).isEqualTo("Curb or curb ramp defect");
    assertThat(s.get(2).description()).hasValueSatisfying(v -> v.startsWith("Sidewalk curb or ramp"));
  }

  /** Easting, northing and fixmystreet_id as open311-adapter declares them for FixMyStreet. */
  private static void assertStandardServerSet(List<ServiceAttribute> a) {
    assertAttribute(a.get(0), "easting", Datatype.NUMBER, true, false, 1);
    assertAttribute(a.get(1), "northing", Datatype.NUMBER, true, false, 2);
    assertAttribute(a.get(2), "fixmystreet_id", Datatype.STRING, true, false, 3);
    assertThat(a.subList(0, 3)).allSatisfy(x -> {
      assertThat(x.isServerSet()).as("%s server_set", x.code()).isTrue();
      assertThat(x.datatypeDescription()).as("empty datatype_description is absent").isEmpty();
    });
    assertThat(a.get(2).description()).hasValue("external system ID");
  }

  private static void assertConfirmTenAttributes(Decoded d, String serviceCode) {
    ServiceDefinition def = d.definition();
    assertThat(def.serviceCode()).as("service_code after <attributes> still read").isEqualTo(serviceCode);
    List<ServiceAttribute> a = def.attributes();
    assertThat(attributeCodes(def)).containsExactly("easting", "northing", "fixmystreet_id",
        "report_url", "title", "description", "asset_details", "site_code", "central_asset_id",
        "closest_address");
    assertThat(a).extracting(ServiceAttribute::order).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertStandardServerSet(a);
    assertAttribute(a.get(5), "description", Datatype.TEXT, true, true, 6);
    assertThat(a.get(5).automated()).hasValue("server_set");
    assertAttribute(a.get(6), "asset_details", Datatype.TEXT, false, true, 7);
    assertThat(a.subList(6, 9)).allSatisfy(x -> {
      assertThat(x.automated()).as("%s automated", x.code()).hasValue("hidden_field");
      assertThat(x.isServerSet()).isFalse();
      assertThat(x.required()).isFalse();
    });
    assertAttribute(a.get(9), "closest_address", Datatype.STRING, false, true, 10);
    assertThat(a.get(9).isServerSet()).isTrue();
    assertThat(a).allSatisfy(x -> assertThat(x.datatypeDescription()).isEmpty());
  }

  private static void assertSpecServiceDefinition(Decoded d) {
    ServiceDefinition def = d.definition();
    assertThat(def.serviceCode()).isEqualTo("DMV66");
    assertThat(def.attributes()).hasSize(1);
    ServiceAttribute a = def.attributes().get(0);
    assertAttribute(a, "WHISHETN", Datatype.SINGLEVALUELIST, true, true, 1);
    assertThat(a.description()).hasValue("What is the ticket/tag/DL number?");
    assertThat(a.datatypeDescription()).as("empty or null datatype_description is absent").isEmpty();
    assertThat(a.automated()).isEmpty();
    assertThat(a.values()).as("keys read as text even when JSON numbers")
        .containsExactly(new AttributeValue("123", "Ford"), new AttributeValue("124", "Chrysler"));
  }

  private static void assertSpecDiscovery(Discovery disc) {
    assertThat(disc.changeset()).as("changeset stays text: it is not a W3C datetime")
        .hasValue("2011-02-03 14:18");
    assertThat(disc.contact())
        .hasValue("You can email or call for assistance api@mycity.org +1 (555) 555-5555");
    assertThat(disc.keyService())
        .hasValue("You can request a key here: http://api.mycity.gov/api_key/request");
    List<Discovery.Endpoint> e = disc.endpoints();
    assertThat(e).hasSize(3);
    assertThat(e.get(0).specification()).isEqualTo("http://wiki.open311.org/GeoReport_v2");
    assertThat(e.get(0).url()).isEqualTo("http://open311.mycity.gov/v2");
    assertThat(e.get(0).type()).hasValue("production");
    assertThat(e.get(0).changeset()).hasValue("2010-11-23 09:01");
    assertThat(e.get(0).formats()).containsExactly("text/xml");
    assertThat(e.get(1).type()).hasValue("test");
    assertThat(e.get(1).url()).isEqualTo("http://open311.mycity.gov/test/v2");
    assertThat(e.get(1).formats()).containsExactly("text/xml", "application/json");
    assertThat(e.get(2).specification()).isEqualTo("http://wiki.open311.org/GeoReport_v3");
    assertThat(e.get(2).changeset()).hasValue("2011-02-03 14:18");
  }

  private static void assertOneUpdate(Decoded d, String updateId, String serviceRequestId,
      Status status) {
    List<ReportUpdate> u = d.updates();
    assertThat(u).hasSize(1);
    assertThat(u.get(0).updateId()).hasValue(updateId);
    assertThat(u.get(0).serviceRequestId()).hasValue(serviceRequestId);
    assertThat(u.get(0).status()).hasValue(status);
  }

  private static void assertSingleError(Decoded d, String code, String description) {
    assertThat(d.errors()).containsExactly(new Open311Error(code, description));
  }

  // ---------------------------------------------------------------- one check per document

  static {
    // ---- the GeoReport v2 specification's own examples
    check("spec/services.xml", d -> assertSpecServices(d, true));
    check("spec/service-definition.xml", FixtureConformanceTest::assertSpecServiceDefinition);
    check("spec/service-definition.json", FixtureConformanceTest::assertSpecServiceDefinition);
    check("spec/post-request-body.txt", d -> {
      FormFields form = d.form();
      assertThat(form.first("api_key")).hasValue("xyz");
      assertThat(form.first("jurisdiction_id")).hasValue("city.gov");
      Report r = d.requestBody();
      assertThat(r.serviceCode()).hasValue("001");
      assertPoint(r, "37.76524078", "-122.4212043");
      assertThat(point(r).lat().toPlainString()).isEqualTo("37.76524078");
      assertThat(r.location().address()).as("+ decoded as space").hasValue("1234 5th street");
      assertThat(r.contact().email()).as("%40 decoded").hasValue("smit333@sfgov.edu");
      assertThat(r.contact().deviceId()).hasValue("tt222111");
      assertThat(r.contact().accountId()).hasValue("123456");
      assertThat(r.contact().firstName()).hasValue("john");
      assertThat(r.contact().lastName()).hasValue("smith");
      assertThat(r.contact().phone()).hasValue("111111111");
      assertThat(r.description()).hasValue("A large sinkhole is destroying the street");
      assertThat(r.mediaUrls())
          .containsExactly("http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg");
      assertThat(r.attributes().asMap()).as("unencoded brackets in attribute[…] read")
          .containsExactly(Map.entry("WHISPAWN", List.of("123456")),
              Map.entry("WHISDORN", List.of("COISL001")));
    });
    check("spec/post-request-response.xml", d -> {
      CreatedRequest c = d.created();
      assertThat(c.serviceRequestId()).hasValue("293944");
      assertThat(c.token()).isEmpty();
      assertThat(c.serviceNotice()).as("surrounding newlines and indentation stripped")
          .hasValueSatisfying(n -> assertThat(n).startsWith("The City will inspect")
              .endsWith("Public Works Code"));
      assertThat(c.accountId()).as("self-closing <account_id/> is absent").isEmpty();
    });
    check("spec/post-request-response.json", d -> {
      assertThat(d.doc().content().isArray()).isTrue();
      CreatedRequest c = d.created();
      assertThat(c.serviceRequestId()).as("JSON number read as text").hasValue("293944");
      assertThat(c.token()).isEmpty();
      assertThat(c.serviceNotice()).hasValueSatisfying(n -> assertThat(n).startsWith("The City will inspect"));
      assertThat(c.accountId()).as("null is absent").isEmpty();
    });
    check("spec/token-response.xml", d -> {
      assertThat(d.tokenResult()).hasValue("638344");
      assertThat(Tree.text(Open311Decoder.items(d.doc(), "request", "t").get(0), "token", "t")).hasValue("12345");
    });
    check("spec/token-response.json", d -> {
      assertThat(d.doc().content().isArray()).isTrue();
      assertThat(d.tokenResult()).as("JSON number read as text").hasValue("638344");
      assertThat(Tree.text(Open311Decoder.items(d.doc(), "request", "t").get(0), "token", "t")).hasValue("12345");
    });
    check("spec/requests.xml", FixtureConformanceTest::assertSpecRequests);
    check("spec/request.xml", d -> {
      assertThat(d.requests()).hasSize(1);
      assertSpecRequest638344(d.requests().get(0),
          "http://city.gov.s3.amazonaws.com/requests/media/638344.jpg");
      assertThat(d.text()).contains(".jpg </media_url>");
    });
    check("spec/errors-403.xml", d -> assertSingleError(d, "403",
        "Invalid api_key received -- can't proceed with create_request."));
    check("spec/errors-403.json", d -> {
      assertThat(d.doc().content().isArray()).isTrue();
      assertSingleError(d, "403", "Invalid api_key received -- can't proceed with create_request.");
    });
    check("spec/discovery.xml", d -> assertSpecDiscovery(d.discovery()));
    check("spec/discovery.json", d -> {
      assertSpecDiscovery(d.discovery());
      assertThat(d.discovery().endpoints().get(2).formats()).containsExactly("text/xml", "application/json");
    });

    // ---- Code for America's Ruby and Java clients, node-open311
    check("cfa-ruby/errors-404-not-found.xml", d -> assertSingleError(d, "404",
        "Service request not found with id or token not-an-id"));
    check("cfa-ruby/requests-empty.xml", d -> assertThat(d.requests()).isEmpty());
    check("cfa-ruby/request-media-url-rss.xml", d -> {
      assertThat(d.requests()).hasSize(1);
      assertSpecRequest638344(d.requests().get(0),
          "http://open311.city.gov.s3.amazonaws.com/requests/media/638344.rss");
      assertThat(d.text()).contains("638344.rss </media_url>");
    });
    check("cfa-java/requests-compact.xml", FixtureConformanceTest::assertSpecRequests);
    check("cfa-java/service-definition-compact.json", FixtureConformanceTest::assertSpecServiceDefinition);
    check("node-open311/dc-discovery.xml", d -> {
      Discovery disc = d.discovery();
      assertThat(disc.changeset()).hasValue("2012-03-08T16:00:00-05:00");
      assertThat(disc.contact()).hasValue("You can email or call for assistance octo@dc.gov +1 (202) 727-2277");
      assertThat(disc.endpoints()).hasSize(2).allSatisfy(e -> {
        assertThat(e.type()).hasValue("production");
        assertThat(e.formats()).containsExactly("text/xml");
      });
      assertThat(disc.endpoints().get(0).url()).isEqualTo("http://app.311.dc.gov/cwi/Open311/v2");
      assertThat(disc.endpoints().get(1).specification())
          .isEqualTo("http://wiki.open311.org/GeoReport_v2.1_Draft");
      assertThat(disc.endpoints().get(1).url()).isEqualTo("http://app.311.dc.gov/cwi/Open311");
    });

    // ---- Helsinki, 6aika, Bloomington
    check("helsinki/services.json", d -> {
      List<Service> s = d.services();
      assertThat(codes(s)).containsExactly("172", "246", "176", "171", "198", "199", "174", "211",
          "234", "180");
      Service first = s.get(0);
      assertThat(first.name()).isEqualTo("Vandalism");
      assertThat(first.groups()).containsExactly("Sanitation");
      assertThat(first.keywords()).containsExactly("bench", "parks", "trashbins");
      assertThat(first.metadata()).isFalse();
      assertThat(s.get(3).keywords()).as("a keyword with a space inside stays whole")
          .containsExactly("pothole", "street condition");
      assertThat(s.get(9).keywords()).as("empty keywords").isEmpty();
      assertThat(s).allSatisfy(x -> assertThat(x.type()).isEqualTo(ServiceType.REALTIME));
    });
    check("helsinki/services-fi.json", d -> {
      List<Service> s = d.services();
      assertThat(s).hasSize(10);
      assertThat(s.get(0).code()).isEqualTo("172");
      assertThat(s.get(0).name()).isEqualTo("Ilkivalta");
      assertThat(s.get(0).groups()).containsExactly("Puhtaanapito");
      assertThat(s.get(0).keywords()).as("inconsistent comma spacing trimmed")
          .containsExactly("ilkivalta", "penkit", "istuimet", "pöydät", "katokset", "grillit",
              "lipputangot", "roska-astiat");
      assertThat(s.get(2).name()).isEqualTo("Töhryjen poisto");
      assertThat(s.get(8).keywords()).containsExactly("metsä", "pelto");
      assertThat(s.get(8).groups()).containsExactly("Metsät ja puistot");
    });
    check("helsinki/services-fi.xml", d -> {
      List<Service> s = d.services();
      assertThat(codes(s)).containsExactly("172", "246", "176", "171", "198", "199", "174", "211",
          "234", "180");
      assertThat(s.get(2).code()).isEqualTo("176");
      assertThat(s.get(2).name()).isEqualTo("Töhryjen poisto");
      assertThat(s.get(2).description()).hasValue("Ilmoita, jos paikkoja tai seiniä on töhritty.");
      assertThat(s.get(0).keywords()).contains("pöydät");
      assertThat(s.get(6).keywords()).as("empty <keywords>").isEmpty();
      assertThat(s.get(9).groups()).containsExactly("Muut korjattavat asiat");
      assertThat(s).allSatisfy(x -> assertThat(x.description().orElseThrow()).doesNotContain("\r"));
    });
    check("6aika/post-request-body.json", d -> {
      Report r = d.requestBody();
      assertThat(r.serviceCode()).hasValue("180");
      assertThat(r.description()).hasValue("Trash bin is full.");
      assertThat(r.contact().firstName()).hasValue("Heikki");
      assertThat(r.contact().lastName()).hasValue("Helsinkiläinen");
      assertPoint(r, "60.1893135", "25.008183");
      assertThat(point(r).lon().toPlainString()).as("trailing zero of 25.0081830 kept")
          .isEqualTo("25.0081830");
      assertThat(r.extras()).isEmpty();
    });
    check("bloomington/services.json", d -> {
      List<Service> s = d.services();
      assertThat(s).hasSize(53);
      assertThat(s.get(0).code()).as("JSON number read as text").isEqualTo("2");
      assertThat(s.get(0).name()).isEqualTo("Excessive Growth");
      assertThat(s.get(0).groups()).containsExactly("Cleanup & Sanitation");
      assertThat(s.get(0).metadata()).isFalse();
      assertThat(s.get(1).code()).isEqualTo("37");
      assertThat(s.get(1).name()).isEqualTo("Graffiti");
      assertThat(s.get(1).metadata()).isTrue();
      Service last = s.get(52);
      assertThat(last.code()).isEqualTo("53");
      assertThat(last.name()).isEqualTo("Website & Mobile Apps Feedback");
      assertThat(last.groups()).containsExactly("Miscellaneous");
      assertThat(s).allSatisfy(x -> assertThat(x.keywords()).as("keywords \"\"").isEmpty());
      assertThat(codes(s)).doesNotHaveDuplicates();
      assertThat(s.stream().filter(x -> x.groups().get(0).contains("&")).count()).isEqualTo(38);
    });

    // ---- FixMyStreet's tests
    check("fms/errors-400-service-code-null.xml", d -> assertSingleError(d, "400",
        "Service Code cannot be null -- can't proceed with the request."));
    check("fms/errors-duplicate-event-http500.xml", d ->
        assertSingleError(d, "", "Duplicate Event! Original eventID: 123"));
    check("fms/post-request-response-248.xml", d -> {
      assertThat(d.created().serviceRequestId()).hasValue("248");
      assertThat(d.created().token()).isEmpty();
      assertThat(d.created().serviceNotice()).isEmpty();
    });
    check("fms/post-request-response-token-only.xml", d -> {
      assertThat(d.created().serviceRequestId()).isEmpty();
      assertThat(d.created().token()).hasValue("369FBB0C-4755-11EC-96C0-F6CCC296753D");
    });
    check("fms/token-response-srq-id.xml", d -> {
      assertThat(d.tokenResult()).hasValue("SRQ-0123-4567");
      assertThat(Tree.text(Open311Decoder.items(d.doc(), "request", "t").get(0), "token", "t"))
          .hasValue("369FBB0C-4755-11EC-96C0-F6CCC296753D");
    });
    check("fms/post-update-response-248.xml", d -> assertThat(d.postedUpdateId()).isEqualTo("248"));
    check("fms/post-request-response-empty-id.xml", d -> assertThat(d.refusal())
        .isInstanceOf(Open311FormatException.class)
        .hasMessageContaining("request[0]")
        .hasMessageContaining("service_request_id")
        .hasMessageContaining("empty"));
    check("fms/post-update-response-empty-id.xml", d -> assertThat(d.refusal())
        .isInstanceOf(Open311FormatException.class)
        .hasMessageContaining("request_update[0].update_id is empty"));
    check("fms/services-3-tab-indented.xml", d -> assertSpecServices(d, false));
    check("fms/services-groups-element-and-newline-in-group.xml", d -> {
      List<Service> s = d.services();
      assertThat(codes(s)).containsExactly("100", "002");
      assertThat(s.get(0).name()).isEqualTo("Cans left out 24x7");
      assertThat(s.get(0).groups()).containsExactly("sanitation", "street");
      assertThat(s.get(1).groups()).as("trailing newline trimmed").containsExactly("street");
      assertThat(s).allSatisfy(x -> assertThat(x.metadata()).isFalse());
    });
    check("fms/services-groups-amp-entity.xml", d -> {
      assertThat(codes(d.services())).containsExactly("100");
      assertThat(d.services().get(0).groups()).containsExactly("sanitation & cleaning", "street");
    });
    check("fms/services-keywords-private.xml", d -> {
      Service s = d.services().get(0);
      assertThat(d.services()).hasSize(1);
      assertThat(s.code()).isEqualTo("100");
      assertThat(s.keywords()).containsExactly("private");
      assertThat(s.isPrivate()).isTrue();
      assertThat(s.isInactive()).isFalse();
      assertThat(s.groups()).containsExactly("sanitation");
    });
    check("fms/services-keywords-inactive.xml", d -> {
      Service s = d.services().get(0);
      assertThat(d.services()).hasSize(1);
      assertThat(s.code()).isEqualTo("100");
      assertThat(s.keywords()).containsExactly("inactive");
      assertThat(s.isInactive()).isTrue();
      assertThat(s.isPrivate()).isFalse();
    });
    check("fms/service-definition-non-ascii.xml", d -> {
      ServiceDefinition def = d.definition();
      assertThat(def.serviceCode()).isEqualTo("100");
      assertThat(attributeCodes(def)).containsExactly("type");
      assertThat(def.attributes().get(0).description()).hasValue("Cólour of bin");
      assertThat(def.attributes().get(0).datatypeDescription()).hasValue("Colour of bin");
    });
    check("fms/service-definition-empty-attributes.xml", d -> {
      assertThat(d.definition().serviceCode()).isEqualTo("100");
      assertThat(d.definition().attributes()).isEmpty();
    });
    check("fms/service-definition-unsorted-order.xml", d -> {
      ServiceDefinition def = d.definition();
      assertThat(def.serviceCode()).isEqualTo("100");
      assertThat(attributeCodes(def)).as("sorted by <order>").containsExactly("type", "size", "colour");
      assertThat(def.attributes()).extracting(ServiceAttribute::order).containsExactly(1, 2, 3);
      assertThat(def.attribute("colour").orElseThrow().datatypeDescription()).hasValue("Colour of bin");
    });
    check("fms/service-definition-no-datatype-description.xml", d -> {
      ServiceDefinition def = d.definition();
      assertThat(def.serviceCode()).isEqualTo("LIGHT");
      assertAttribute(def.attributes().get(0), "easting", Datatype.STRING, true, true, 1);
      assertAttribute(def.attributes().get(1), "size", Datatype.STRING, true, true, 2);
      assertThat(def.attributes()).hasSize(2)
          .allSatisfy(a -> assertThat(a.datatypeDescription()).isEmpty());
      assertThat(def.attributes().get(1).description()).hasValue("How big is the pothole");
    });
    check("fms/service-definition-automated-server_set.xml", d -> {
      ServiceDefinition def = d.definition();
      assertThat(def.serviceCode()).isEqualTo("DUMMY");
      assertThat(def.attributes()).hasSize(1);
      ServiceAttribute a = def.attributes().get(0);
      assertAttribute(a, "hint", Datatype.STRING, false, false, 1);
      assertThat(a.automated()).hasValue("server_set");
      assertThat(a.isServerSet()).isTrue();
      assertThat(a.description()).hasValue("Lamp on during day");
    });
    check("fms/updates-updated_datetime-self-closing.xml", d -> {
      assertOneUpdate(d, "638344", "1", Status.OPEN);
      assertThat(d.updates().get(0).description()).hasValue("This is a note");
      assertThat(d.updates().get(0).updated()).as("<updated_datetime /> is absent").isEmpty();
    });
    check("fms/updates-service_request_id_ext.xml", d -> {
      assertOneUpdate(d, "638344", "1", Status.OPEN);
      ReportUpdate u = d.updates().get(0);
      assertThat(u.extras()).containsEntry("service_request_id_ext", "120384");
      assertThat(u.updated()).hasValue(odt("2024-05-01T10:00:00Z"));
    });
    check("fms/updates-external_status_code.xml", d -> {
      List<ReportUpdate> u = d.updates();
      assertThat(u).extracting(x -> x.updateId().orElseThrow()).containsExactly("638344", "638354");
      assertThat(u.get(0).externalStatusCode()).as("leading zero kept").hasValue("060");
      assertThat(u.get(1).externalStatusCode()).hasValue("101");
      assertThat(u.get(0).updated().orElseThrow().toInstant()).isEqualTo(instant("2024-05-01T09:30:00Z"));
      assertThat(u.get(1).updated().orElseThrow().toInstant()).isEqualTo(instant("2024-05-01T10:00:00Z"));
      assertThat(u).allSatisfy(x -> {
        assertThat(x.serviceRequestId()).hasValue("81");
        assertThat(x.status()).hasValue(Status.OPEN);
      });
      assertThat(u.get(1).description()).hasValue("This is a different note");
    });
    check("fms/updates-media_url.xml", d -> {
      assertOneUpdate(d, "UPDATE_1", "81", Status.FIXED);
      assertThat(d.updates().get(0).mediaUrls()).containsExactly("http://example.com/image.jpeg");
      assertThat(d.updates().get(0).status().orElseThrow().isClosed()).isTrue();
    });
    check("fms/updates-extras-category.xml", d -> {
      assertOneUpdate(d, "category_change_1", "81", Status.OPEN);
      assertThat(d.updates().get(0).extras()).containsExactly(Map.entry("category", "Street Lighting"));
      assertThat(d.updates().get(0).description()).hasValue("Status update with category change");
    });
    check("fms/updates-status-in_progress-no-description.xml", d -> {
      assertOneUpdate(d, "638344", "81", Status.IN_PROGRESS);
      assertThat(d.updates().get(0).externalStatusCode()).hasValue("456");
      assertThat(d.updates().get(0).description()).isEmpty();
      assertThat(d.updates().get(0).updated()).hasValue(odt("2024-05-01T08:58:00Z"));
    });
    check("fms/updates-centralbeds-UNCHANGED.xml", d -> {
      assertOneUpdate(d, "first", "CBeds123", Status.UNCHANGED);
      ReportUpdate u = d.updates().get(0);
      assertThat(u.status().orElseThrow().changesState()).isFalse();
      assertThat(u.externalStatusCode()).hasValue("CS_CHANGE_QUEUE");
      assertThat(u.description()).isEmpty();
      assertThat(u.updated()).hasValue(OffsetDateTime.of(2026, 3, 9, 15, 0, 0, 0, ZoneOffset.UTC));
      assertThat(d.doc().root()).isEqualTo("service_requests_updates");
    });
    check("fms/updates-rutland-no-description.xml", d -> {
      List<ReportUpdate> u = d.updates();
      assertThat(u).extracting(x -> x.updateId().orElseThrow()).containsExactly("UPDATE_1", "UPDATE_2");
      assertThat(u).extracting(x -> x.serviceRequestId().orElseThrow()).containsExactly("12345", "34567");
      assertThat(u).extracting(x -> x.externalStatusCode().orElseThrow()).containsExactly("1600", "1601");
      assertThat(u).allSatisfy(x -> {
        assertThat(x.status()).as("upper-case OPEN").hasValue(Status.OPEN);
        assertThat(x.description()).isEmpty();
        assertThat(x.updated()).hasValue(odt("2024-05-01T10:00:00Z"));
      });
    });
    check("fms/requests-3-no-address.xml", d -> {
      List<Report> r = d.requests();
      assertThat(ids(r)).containsExactly("638344", "638345", "638346");
      assertThat(r.get(0).status()).hasValue(Status.OPEN);
      assertThat(r.get(0).serviceCode()).hasValue("sidewalks");
      assertPoint(r.get(0), "51.4021", "0.01578");
      assertThat(r.get(1).status()).as("extended status in a request feed").hasValue(Status.INVESTIGATING);
      assertThat(r.get(1).serviceCode()).hasValue("not_sidewalks");
      assertThat(r.get(2).description()).isEmpty();
      assertThat(r.get(0).description()).hasValue("This is a sidewalk problem");
      assertThat(r).allSatisfy(x -> {
        assertThat(x.location().address()).isEmpty();
        assertThat(x.location().zipcode()).isEmpty();
        assertThat(x.mediaUrls()).isEmpty();
      });
    });
    check("fms/requests-non_public.xml", d -> {
      assertThat(ids(d.requests())).containsExactly("123456");
      assertThat(d.requests().get(0).nonPublic()).isTrue();
      assertThat(d.requests().get(0).extras()).doesNotContainKey("non_public");
    });
    check("fms/requests-minimal-alphabetical.xml", d -> {
      List<Report> r = d.requests();
      assertThat(ids(r)).containsExactly("22032542", "22032543");
      assertThat(r.get(0).serviceCode()).hasValue("HIGH_HI88");
      assertThat(r.get(0).serviceName()).hasValue("Japanese Knotweed");
      assertThat(r.get(0).nonPublic()).isFalse();
      assertThat(r.get(1).serviceCode()).hasValue("HIGH_HI04");
      assertThat(r.get(1).nonPublic()).isTrue();
      assertThat(r).allSatisfy(x -> {
        assertThat(x.description()).isEmpty();
        assertPoint(x, "51.896268", "-2.093063");
        assertThat(x.requested().orElseThrow().toInstant()).isEqualTo(instant("2010-04-14T14:37:38Z"));
      });
    });
    check("fms/requests-lincolnshire-contact-fields.xml", d -> {
      Report r = d.requests().get(0);
      assertThat(ids(d.requests())).containsExactly("lincs-123");
      assertThat(r.contact().firstName()).as("contact_name split").hasValue("John");
      assertThat(r.contact().lastName()).hasValue("Smith");
      assertThat(r.contact().email()).as("contact_email").hasValue("user@example.org");
      assertThat(r.location().address()).hasValue("1 Street");
      assertThat(r.serviceCode()).hasValue("CODE");
      assertThat(r.requested()).hasValue(odt("2024-05-01T10:00:00Z"));
      assertPoint(r, "52.656144", "-0.502566");
      assertThat(r.extras()).as("contact fields are not leaked into extras").isEmpty();
    });
    check("fms/post-update-response-prefixed-id.xml", d ->
        assertThat(d.postedUpdateId()).isEqualTo("ezytreev-248"));

    // ---- mySociety's open311-adapter
    check("o311a/services-3-single-group.xml", d -> {
      List<Service> s = d.services();
      assertThat(codes(s)).containsExactly("POT", "SPOT", "BIN");
      assertThat(s.get(0).name()).isEqualTo("Pothole Repairs");
      assertThat(s.get(0).groups()).containsExactly("highways");
      assertThat(s.get(0).keywords()).containsExactly("deep", "hole", "wow");
      assertThat(s.get(0).metadata()).isTrue();
      assertThat(s.get(1).metadata()).isTrue();
      assertThat(s.get(2).groups()).containsExactly("sanitation");
      assertThat(s.get(2).metadata()).isFalse();
    });
    check("o311a/service-definition-POT.xml", d -> {
      ServiceDefinition def = d.definition();
      assertThat(def.serviceCode()).isEqualTo("POT");
      assertThat(attributeCodes(def)).containsExactly("depth", "shape");
      ServiceAttribute depth = def.attributes().get(0);
      assertAttribute(depth, "depth", Datatype.NUMBER, true, true, 1);
      assertThat(depth.datatypeDescription()).hasValue("an integer");
      assertThat(depth.values()).isEmpty();
      ServiceAttribute shape = def.attributes().get(1);
      assertAttribute(shape, "shape", Datatype.SINGLEVALUELIST, false, true, 2);
      assertThat(shape.values()).as("<name> before <key> read the same").containsExactly(
          new AttributeValue("circle", "Circle"), new AttributeValue("square", "Square"),
          new AttributeValue("triangle", "Triangle"));
    });
    check("o311a/service-definition-SPOT-values-unsorted.xml", d -> {
      assertThat(d.definition().serviceCode()).isEqualTo("SPOT");
      assertThat(d.definition().attribute("shape").orElseThrow().values())
          .extracting(AttributeValue::key).as("document order kept")
          .containsExactly("circle", "triangle", "square");
    });
    check("o311a/post-request-response-service_notice.xml", d -> {
      assertThat(d.created().serviceRequestId()).hasValue("1");
      assertThat(d.created().serviceNotice()).hasValue("This is a test service");
    });
    check("o311a/requests-3-empty-optional-elements.xml", d -> {
      List<Report> r = d.requests();
      assertThat(ids(r)).containsExactly("0", "1", "2");
      assertThat(r).allSatisfy(x -> {
        assertThat(x.serviceCode()).hasValue("POT");
        assertThat(x.serviceName()).hasValue("Pothole Repairs");
        assertThat(x.status()).hasValue(Status.OPEN);
        assertThat(x.location().address()).hasValue("22 Acacia Avenue");
        assertThat(x.location().addressId()).as("empty <address_id> absent").isEmpty();
        assertThat(x.location().zipcode()).isEmpty();
        assertThat(x.mediaUrls()).as("empty <media_url> gives no URL").isEmpty();
        assertPoint(x, "0", "0");
      });
      assertThat(r).extracting(x -> x.requested().orElseThrow().toInstant()).containsExactly(
          instant("2014-01-01T12:00:00Z"), instant("2014-02-01T12:00:00Z"),
          instant("2014-02-01T12:00:00Z"));
    });
    check("o311a/requests-empty.xml", d -> assertThat(d.requests()).isEmpty());
    check("o311a/passthrough-services-groups.xml", d -> {
      List<Service> s = d.services();
      assertThat(codes(s)).containsExactly("ABC_DEF", "ABC_DEF_1");
      assertThat(s.get(0).groups()).containsExactly("Flooding", "Flooding & Drainage");
      assertThat(s.get(0).keywords()).containsExactly("hello", "hello2", "hello3");
      assertThat(s.get(1).groups()).containsExactly("Flooding & Drainage");
      assertThat(s.get(1).keywords()).isEmpty();
    });
    check("o311a/passthrough-service-definition-server_set.xml", d -> {
      ServiceDefinition def = d.definition();
      assertThat(def.serviceCode()).isEqualTo("ABC_DEF");
      assertThat(attributeCodes(def)).containsExactly("easting", "northing", "fixmystreet_id");
      assertStandardServerSet(def.attributes());
    });
    check("o311a/passthrough-post-request-response.xml", d -> {
      assertThat(d.created().serviceRequestId()).hasValue("2001");
      assertThat(d.created().token()).isEmpty();
    });
    check("o311a/passthrough-post-update-response.xml", d ->
        assertThat(d.postedUpdateId()).isEqualTo("2002"));
    check("o311a/passthrough-updates-external_status_code.xml", d -> {
      List<ReportUpdate> u = d.updates();
      assertThat(u).extracting(x -> x.updateId().orElseThrow()).containsExactly("2001_3", "2002_1", "2002_2");
      assertThat(u.get(0).serviceRequestId()).hasValue("2001");
      assertThat(u.get(0).status()).hasValue(Status.IN_PROGRESS);
      assertThat(u.get(0).externalStatusCode()).hasValue("INP");
      assertThat(u.get(0).updated()).hasValue(odt("2018-03-01T12:00:00Z"));
      assertThat(u.get(2).status()).hasValue(Status.DUPLICATE);
      assertThat(u.get(2).externalStatusCode()).hasValue("DUP");
      assertThat(u.get(2).updated()).hasValue(odt("2018-03-01T13:30:00Z"));
      assertThat(u).allSatisfy(x -> {
        assertThat(x.description()).isEmpty();
        assertThat(x.mediaUrls()).isEmpty();
      });
    });
    check("o311a/passthrough-requests.xml", d -> {
      Report r = d.requests().get(0);
      assertThat(ids(d.requests())).containsExactly("2003");
      assertThat(r.serviceCode()).hasValue("ABC_DEF");
      assertThat(r.serviceName()).hasValue("Flooding");
      assertThat(r.status()).hasValue(Status.IN_PROGRESS);
      assertThat(r.requested()).hasValue(odt("2018-04-17T13:34:56+01:00"));
      assertThat(r.requested().orElseThrow().toInstant()).isEqualTo(instant("2018-04-17T12:34:56Z"));
      assertPoint(r, "100", "100");
      assertThat(point(r).isValidWgs84()).as("out of range, passed through").isFalse();
      assertThat(r.location().address()).isEmpty();
    });
    check("o311a/banes-updates-empty-no-declaration.xml", d -> assertThat(d.updates()).isEmpty());
    check("o311a/bristol-upstream-updates-uppercase-status.xml", d -> {
      List<ReportUpdate> u = d.updates();
      assertThat(u).extracting(x -> x.updateId().orElseThrow()).containsExactly("2003", "2004");
      assertThat(u).extracting(x -> x.serviceRequestId().orElseThrow()).containsExactly("1001", "1002");
      assertThat(u).allSatisfy(x -> assertThat(x.status()).hasValue(Status.OPEN));
      assertThat(u.get(0).description()).hasValue("This is an update");
      assertThat(u.get(0).updated()).hasValue(odt("2025-09-22T09:00:00Z"));
      assertThat(u.get(1).updated()).hasValue(odt("2025-09-22T10:00:00Z"));
    });
    check("o311a/bristol-updates-normalised.xml", d -> {
      assertOneUpdate(d, "2003", "1001", Status.OPEN);
      assertThat(d.updates().get(0).mediaUrls()).isEmpty();
      assertThat(d.updates().get(0).description()).hasValue("This is an update");
    });
    check("o311a/merton-upstream-post-request-token.xml", d -> {
      assertThat(d.created().token()).hasValue("TOKEN");
      assertThat(d.created().serviceRequestId()).isEmpty();
    });
    check("o311a/confirm-service-definition-standard-attrs.xml",
        d -> assertConfirmTenAttributes(d, "HM_PHS"));
    check("o311a/eastherts-services-empty-group-amp.xml", d -> {
      List<Service> s = d.services();
      assertThat(codes(s)).containsExactly("EF_E_AVE", "P_C_DBE", "EF_C_DF", "P_C_LPR", "P_C_LBE", "P_C_GNC");
      assertThat(s).allSatisfy(x -> {
        assertThat(x.groups()).as("empty <group> is no group").isEmpty();
        assertThat(x.keywords()).isEmpty();
        assertThat(x.metadata()).isTrue();
      });
      assertThat(s.get(3).name()).isEqualTo("Litter in Parks & Open spaces");
      assertThat(s.get(4).description()).hasValue("Litter Bin overflow in Parks & Open spaces");
    });
    check("o311a/eastherts-service-definition-car_details.xml", d -> {
      ServiceDefinition def = d.definition();
      assertThat(def.serviceCode()).isEqualTo("EF_E_AVE");
      assertThat(attributeCodes(def)).containsExactly("easting", "northing", "fixmystreet_id", "car_details");
      assertStandardServerSet(def.attributes());
      ServiceAttribute car = def.attributes().get(3);
      assertAttribute(car, "car_details", Datatype.STRING, true, true, 4);
      assertThat(car.description()).hasValue("Registration and make");
      assertThat(car.automated()).isEmpty();
      assertThat(car.isServerSet()).isFalse();
    });
    check("o311a/confirm-services-multi-groups.xml", d -> {
      List<Service> s = d.services();
      assertThat(codes(s)).containsExactly("ABC_DEF", "ABC_DEF_1", "ABC_GHI");
      assertThat(s).extracting(Service::groups).containsExactly(
          List.of("Flooding", "Flooding & Drainage"), List.of("Flooding & Drainage"), List.of("Flooding"));
      assertThat(s).allSatisfy(x -> assertThat(x.keywords()).isEmpty());
    });
    check("o311a/confirm-service-definition-10-attrs.xml", d -> assertConfirmTenAttributes(d, "ABC_DEF"));
    check("o311a/confirm-updates-plus0000-offset.xml", d -> {
      List<ReportUpdate> u = d.updates();
      assertThat(u).hasSize(3);
      assertThat(u.get(0).updated()).hasValue(odt("2018-03-01T12:00:00+00:00"));
      assertThat(u.get(0).updated().orElseThrow().getOffset()).isEqualTo(ZoneOffset.UTC);
      assertThat(u).extracting(x -> x.status().orElseThrow())
          .containsExactly(Status.IN_PROGRESS, Status.IN_PROGRESS, Status.DUPLICATE);
      assertThat(u).extracting(x -> x.externalStatusCode().orElseThrow()).containsExactly("INP", "INP", "DUP");
      assertThat(u).extracting(x -> x.updateId().orElseThrow()).containsExactly("2001_3", "2002_1", "2002_2");
    });
    check("o311a/confirm-requests-extras-group.xml", d -> {
      Report r = d.requests().get(0);
      assertThat(ids(d.requests())).containsExactly("2003");
      assertThat(r.extras()).containsExactly(Map.entry("group", "Flooding"));
      assertThat(r.status()).hasValue(Status.IN_PROGRESS);
      assertThat(r.description()).hasValue("this is a report from confirm");
    });
    check("o311a/confirm-services-keywords-private.xml", d -> {
      Service s = d.services().get(0);
      assertThat(codes(d.services())).containsExactly("ABC_DEF");
      assertThat(s.keywords()).containsExactly("private");
      assertThat(s.isPrivate()).isTrue();
      assertThat(s.groups()).containsExactly("Flooding & Drainage");
    });
    check("o311a/confirm-post-update-response-composite-id.xml", d ->
        assertThat(d.postedUpdateId()).isEqualTo("1002_111"));
    check("o311a/warwick-updates-bst-offset.xml", d -> {
      assertOneUpdate(d, "999", "1001", Status.CLOSED);
      ReportUpdate u = d.updates().get(0);
      assertThat(u.description()).hasValue("Closed the ticket");
      assertThat(u.updated()).hasValue(odt("2014-07-23T11:07:00+01:00"));
      assertThat(u.updated().orElseThrow().toInstant()).isEqualTo(instant("2014-07-23T10:07:00Z"));
    });
    check("o311a/peterborough-requests-prefixed-ids.xml", d -> {
      Report r = d.requests().get(0);
      assertThat(ids(d.requests())).containsExactly("Bartec-12");
      assertThat(r.serviceCode()).hasValue("Bartec-RUBB");
      assertPoint(r, "0", "1");
      assertThat(r.description()).isEmpty();
    });
    check("o311a/peterborough-updates-empty.xml", d -> assertThat(d.updates()).isEmpty());
    check("o311a/mysociety-updates-2.xml", d -> {
      List<ReportUpdate> u = d.updates();
      assertThat(u).extracting(x -> x.updateId().orElseThrow()).containsExactly("1", "2");
      assertThat(u.get(0).serviceRequestId()).as("id 0 is an id, not absent").hasValue("0");
      assertThat(u.get(0).status()).hasValue(Status.CLOSED);
      assertThat(u.get(0).description()).hasValue("Fixed");
      assertThat(u.get(0).updated()).hasValue(odt("2014-01-01T13:00:00Z"));
      assertThat(u.get(1).serviceRequestId()).hasValue("1");
      assertThat(u.get(1).status()).hasValue(Status.OPEN);
      assertThat(u.get(1).description()).hasValue("Have investigated. Looks tricky!");
    });
    check("o311a/camden-services-irregular-indentation.xml", d -> {
      List<Service> s = d.services();
      assertThat(codes(s)).containsExactly("ABC_DEF", "ABC_DEF_1");
      assertThat(s.get(0).name()).isEqualTo("Blocking streetlight");
      assertThat(s.get(1).name()).isEqualTo("Blocking traffic signal/sign");
      assertThat(s).allSatisfy(x -> assertThat(x.groups()).containsExactly("Trees"));
    });
    check("o311a/enfield-service-definition-closest_address.xml", d -> {
      ServiceDefinition def = d.definition();
      assertThat(def.serviceCode()).isEqualTo("bench_or_seat_problem");
      assertThat(def.attributes()).hasSize(4);
      assertStandardServerSet(def.attributes());
      ServiceAttribute closest = def.attributes().get(3);
      assertAttribute(closest, "closest_address", Datatype.STRING, false, true, 4);
      assertThat(closest.isServerSet()).isTrue();
    });
  }
}
