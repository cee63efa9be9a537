package org.civicsync.open311.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.civicsync.core.crm.memory.InMemoryCrm;
import org.civicsync.core.mapping.JurisdictionMapping;
import org.civicsync.core.model.Service;
import org.civicsync.core.model.ServiceType;
import org.civicsync.core.model.Status;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.core.store.H2Durability;
import org.civicsync.core.store.SyncStore;
import org.civicsync.core.store.SyncStores;
import org.civicsync.core.sync.FanOut;
import org.civicsync.core.sync.Jurisdiction;
import org.civicsync.core.sync.ServeMode;
import org.civicsync.core.sync.ServedOpen311;
import org.civicsync.core.sync.SyncSettings;
import org.civicsync.core.testing.MutableClock;
import org.civicsync.open311.Format;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One jurisdiction, two CRMs: roads (POT) and waste (BIN), ids prefixed R- and W-. */
class FanOutTest {
  private static final String J = "council";
  private static final String KEY = "k";
  private static final Pattern ID =
      Pattern.compile("<service_request_id>([^<]+)</service_request_id>");

  @TempDir Path dir;
  final MutableClock clock = MutableClock.at("2024-05-01T09:00:00Z");
  InMemoryCrm roads;
  InMemoryCrm waste;
  SyncStore store;
  ServeMode serveMode;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  /** {@code more}: further pairs of service code and case type the mapping maps. */
  private Jurisdiction engine(String id, InMemoryCrm crm, String code, String caseType,
      String... more) {
    JurisdictionMapping.Builder builder = JurisdictionMapping.builder(id).service(code, caseType);
    for (int i = 0; i < more.length; i += 2) {
      builder.service(more[i], more[i + 1]);
    }
    JurisdictionMapping mapping = builder
        .crmStatus("NEW", Status.OPEN).crmStatus("FIXED", Status.FIXED)
        .crmStatus("CLOSED", Status.CLOSED).closesCrmCase(Status.FIXED)
        .crmZone(java.time.ZoneOffset.UTC).open311Zone(java.time.ZoneOffset.UTC).build();
    return new Jurisdiction(id, ServedOpen311.INSTANCE, crm, mapping,
        SyncSettings.ofDefaults(Instant.parse("2024-05-01T00:00:00Z")));
  }

  private static InMemoryCrm crm(String name, MutableClock clock, List<Service> caseTypes) {
    return InMemoryCrm.builder().name(name).clock(clock).services(caseTypes)
        .closedStatusCodes(Set.of("FIXED", "CLOSED")).closingStatusCode("CLOSED").build();
  }

  private static Service caseType(String code, String name) {
    return new Service(code, name, Optional.empty(), false, ServiceType.REALTIME, List.of(),
        List.of());
  }

  private static ServedJurisdiction served(ServedJurisdiction.Mode mode) {
    return ServedJurisdiction.withFixMyStreetIds(J, KEY, mode, List.of(
        new Service("POT", "Pothole", Optional.empty(), false, ServiceType.REALTIME, List.of(),
            List.of()),
        new Service("BIN", "Missed bin", Optional.empty(), false, ServiceType.REALTIME,
            List.of(), List.of())));
  }

  private static FanOut fanOut() {
    return new FanOut(J, List.of(new FanOut.Branch("R", "roads", Set.of("POT")),
        new FanOut.Branch("W", "waste", Set.of("BIN"))));
  }

  private Open311Server server(ServedJurisdiction.Mode mode) {
    return server(mode, List.of(), List.of(), false);
  }

  /**
   * The waste CRM's mapping also maps case type RoadHole to POT (which roads owns) and Glass to
   * GLASS (which no branch owns): codes its catalogue may list but reports of which never reach it.
   */
  private Open311Server server(ServedJurisdiction.Mode mode, List<Service> roadsTypes,
      List<Service> wasteTypes, boolean servicesFromCrm) {
    roads = crm("roads-crm", clock, roadsTypes);
    waste = crm("waste-crm", clock, wasteTypes);
    store = SyncStores.h2File(dir.resolve("fan"), H2Durability.PROCESS_CRASH, clock);
    serveMode = ServeMode.create(store, clock, "node", List.of(
        engine("roads", roads, "POT", "Pothole"),
        engine("waste", waste, "BIN", "Bin", "POT", "RoadHole", "GLASS", "Glass")));
    Open311Server.Builder builder = Open311Server.builder(serveMode).clock(clock);
    if (servicesFromCrm) {
      builder.servicesFromCrm(J, Duration.ofMinutes(5));
    }
    return builder.fanOut(served(mode), fanOut()).build();
  }

  private Open311Server fromCrms(List<Service> wasteTypes) {
    return server(ServedJurisdiction.Mode.REALTIME,
        List.of(caseType("Pothole", "Pothole (roads)"), caseType("Graffiti", "Graffiti")),
        wasteTypes, true);
  }

  private static ServerResponse post(Open311Server s, String path, String body) {
    return s.handle(ServerRequest.post(path, "application/x-www-form-urlencoded",
        body.getBytes(StandardCharsets.UTF_8)));
  }

  private static String report(String code, String fmsId) {
    return "api_key=" + KEY + "&service_code=" + code + "&lat=51.5&long=-0.1&description=x"
        + "&attribute%5Bfixmystreet_id%5D=" + fmsId;
  }

  private static List<String> ids(ServerResponse r) {
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    Matcher m = ID.matcher(r.text());
    List<String> ids = new ArrayList<>();
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  @Test
  void reportsGoToTheCrmOfTheirServiceAndIdsStayDistinctAndRouteBack() {
    Open311Server s = server(ServedJurisdiction.Mode.REALTIME);
    String pot = ids(post(s, "requests.xml", report("POT", "1"))).get(0);
    String bin = ids(post(s, "requests.xml", report("BIN", "2"))).get(0);
    // Both CRMs number their first case CASE-000001; the served ids differ by prefix.
    assertThat(pot).isEqualTo("R-CASE-000001");
    assertThat(bin).isEqualTo("W-CASE-000001");
    assertThat(roads.cases()).hasSize(1);
    assertThat(waste.cases()).hasSize(1);
    assertThat(ids(post(s, "requests.xml", report("POT", "1")))).containsExactly(pot);
    assertThat(roads.cases()).hasSize(1);

    assertThat(s.handle(ServerRequest.get("requests/" + bin + ".xml", "")).text())
        .contains("<service_code>BIN</service_code>");
    assertThat(s.handle(ServerRequest.get("requests/CASE-000001.xml", "")).status())
        .isEqualTo(404);
    assertThat(s.handle(ServerRequest.get("requests/X-CASE-000001.xml", "")).status())
        .isEqualTo(404);
    assertThat(ids(s.handle(ServerRequest.get("requests.xml", "")))).containsExactly(pot, bin);
    assertThat(ids(s.handle(ServerRequest.get("requests.xml", "service_code=BIN"))))
        .containsExactly(bin);

    clock.advance(Duration.ofMinutes(5));
    roads.officer().close("CASE-000001", "FIXED");
    waste.officer().close("CASE-000001", "FIXED");
    serveMode.work("roads");
    serveMode.work("waste");
    String feed = s.handle(ServerRequest.get("servicerequestupdates.xml", "api_key=" + KEY
        + "&start_date=2024-05-01T09:00:00Z&end_date=2024-05-01T10:00:00Z")).text();
    assertThat(feed).contains("<update_id>R-crm-CASE-000001-2</update_id>")
        .contains("<update_id>W-crm-CASE-000001-2</update_id>")
        .contains("<service_request_id>" + pot + "</service_request_id>")
        .contains("<service_request_id>" + bin + "</service_request_id>");

    ServerResponse comment = post(s, "servicerequestupdates.xml", "api_key=" + KEY
        + "&service_request_id=" + bin + "&update_id=c1&status=OPEN"
        + "&updated_datetime=2024-05-01T09:20:00Z&description=Still+not+collected");
    assertThat(comment.status()).as(comment.text()).isEqualTo(200);
    serveMode.work("waste");
    serveMode.work("roads");
    assertThat(waste.notes("CASE-000001")).extracting(n -> n.text())
        .contains("Still not collected");
    assertThat(roads.notes("CASE-000001")).isEmpty();
    assertThat(post(s, "servicerequestupdates.xml", "api_key=" + KEY
        + "&service_request_id=CASE-000001&update_id=c2&status=OPEN"
        + "&updated_datetime=2024-05-01T09:20:00Z&description=x").status()).isEqualTo(404);
  }

  @Test
  void queuedTokensArePrefixedAndAnswerTheirCrmsId() {
    Open311Server s = server(ServedJurisdiction.Mode.QUEUED);
    ServerResponse created = post(s, "requests.xml", report("BIN", "7"));
    assertThat(created.text()).contains("<token>W-fms-7</token>");
    serveMode.work("waste");
    assertThat(ids(s.handle(ServerRequest.get("tokens/W-fms-7.xml", ""))))
        .containsExactly("W-CASE-000001");
    assertThat(s.handle(ServerRequest.get("tokens/R-fms-7.xml", "")).status()).isEqualTo(404);
    assertThat(s.handle(ServerRequest.get("tokens/fms-7.xml", "")).status()).isEqualTo(404);
  }

  @Test
  void aServiceWithNoBranchOrAnUnknownBranchIsRefusedAtBuild() {
    server(ServedJurisdiction.Mode.REALTIME);
    FanOut onlyRoads = new FanOut(J, List.of(new FanOut.Branch("R", "roads", Set.of("POT"))));
    assertThatThrownBy(() -> Open311Server.builder(serveMode)
        .fanOut(served(ServedJurisdiction.Mode.REALTIME), onlyRoads).build())
        .hasMessageContaining("service_code 'BIN' goes to no branch");
    FanOut ghost = new FanOut(J, List.of(new FanOut.Branch("R", "roads", Set.of("POT")),
        new FanOut.Branch("G", "ghost", Set.of("BIN"))));
    assertThatThrownBy(() -> Open311Server.builder(serveMode)
        .fanOut(served(ServedJurisdiction.Mode.REALTIME), ghost).build())
        .hasMessageContaining("ghost");
    assertThatThrownBy(() -> new FanOut(J, List.of(new FanOut.Branch("R", "roads",
        Set.of("POT")), new FanOut.Branch("W", "waste", Set.of("POT")))))
        .hasMessageContaining("service_code 'POT' goes to both");
    assertThatThrownBy(() -> new FanOut.Branch("R-1", "roads", Set.of()))
        .hasMessageContaining("prefix");
  }

  @Test
  void servicesFromCrmAreTheUnionOfTheBranchesCataloguesOfTheCodesEachBranchTakes() {
    Open311Server s = fromCrms(List.of(caseType("Bin", "Missed bin (waste)"),
        caseType("RoadHole", "Pothole (waste)"), caseType("Glass", "Glass")));
    ServerResponse xml = s.handle(ServerRequest.get("services.xml", ""));
    assertThat(xml.status()).as(xml.text()).isEqualTo(200);
    assertThat(codes(xml.text(), "<service_code>([^<]+)</service_code>"))
        .containsExactly("POT", "BIN");
    assertThat(xml.text()).contains("<service_name>Pothole (roads)</service_name>")
        .contains("<service_name>Missed bin (waste)</service_name>")
        .doesNotContain("Pothole (waste)").doesNotContain("Graffiti");
    ServerResponse json = s.handle(ServerRequest.get("services.json", ""));
    assertThat(codes(json.text(), "\"service_code\":\"([^\"]+)\""))
        .containsExactly("POT", "BIN");
    assertThat(json.text()).contains("Missed bin (waste)").doesNotContain("Pothole (waste)");
    assertThat(s.handle(ServerRequest.get("services/BIN.xml", "")).text())
        .contains("fixmystreet_id");

    // GLASS is in the waste CRM's list, but no branch takes it: not offered, not accepted.
    assertThat(s.handle(ServerRequest.get("services/GLASS.json", "")).status()).isEqualTo(404);
    assertThat(post(s, "requests.xml", report("GLASS", "3")).status()).isEqualTo(404);
    assertThat(ids(post(s, "requests.xml", report("POT", "1")))).containsExactly("R-CASE-000001");
    assertThat(ids(post(s, "requests.xml", report("BIN", "2"))))
        .containsExactly("W-CASE-000001");
    assertThat(roads.cases()).hasSize(1);
    assertThat(waste.cases()).hasSize(1);
  }

  @Test
  void oneBranchFailingMakesServicesA503ThenTheWholeListAgain() {
    Open311Server s = fromCrms(List.of(caseType("Bin", "Missed bin")));
    assertThat(s.handle(ServerRequest.get("services.xml", "")).status()).isEqualTo(200);
    int roadsFetched = roads.calls(CrmOperation.DESCRIBE_SERVICES);
    int wasteFetched = waste.calls(CrmOperation.DESCRIBE_SERVICES);
    s.handle(ServerRequest.get("services.json", ""));
    assertThat(roads.calls(CrmOperation.DESCRIBE_SERVICES)).isEqualTo(roadsFetched);
    assertThat(waste.calls(CrmOperation.DESCRIBE_SERVICES)).isEqualTo(wasteFetched);

    clock.advance(Duration.ofMinutes(6));
    for (Format format : Format.values()) {
      waste.faults().failNext(CrmOperation.DESCRIBE_SERVICES, 1, CrmException.Kind.TRANSIENT);
      ServerResponse failed = s.handle(ServerRequest.get("services." + format.name()
          .toLowerCase(java.util.Locale.ROOT), ""));
      assertThat(failed.status()).isEqualTo(503);
      // Roads answered, but its services alone would delete BIN's category: no list at all.
      assertThat(failed.text()).contains("unavailable").doesNotContain("POT");
    }
    // Reports still go in on the last whole list while a branch's catalogue fails.
    waste.faults().failNext(CrmOperation.DESCRIBE_SERVICES, 1, CrmException.Kind.TRANSIENT);
    assertThat(ids(post(s, "requests.xml", report("BIN", "4")))).containsExactly("W-CASE-000001");

    ServerResponse again = s.handle(ServerRequest.get("services.xml", ""));
    assertThat(codes(again.text(), "<service_code>([^<]+)</service_code>"))
        .containsExactly("POT", "BIN");
  }

  @Test
  void aBranchWhoseCatalogueOffersNoneOfItsCodesIsA503() {
    // Glass maps to GLASS, which is not the waste branch's: waste would offer nothing.
    Open311Server s = fromCrms(List.of(caseType("Glass", "Glass"),
        caseType("RoadHole", "Pothole (waste)")));
    ServerResponse r = s.handle(ServerRequest.get("services.xml", ""));
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.text()).contains("behind 'W' lists none of its services [BIN]")
        .doesNotContain("<service>");
    store.close();

    dir = dir.resolve("unmapped");
    s = fromCrms(List.of(caseType("Recycling", "Recycling")));
    r = s.handle(ServerRequest.get("services.json", ""));
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.text()).contains("behind 'W' lists no service").contains("empty service list");
  }

  private static List<String> codes(String document, String regex) {
    Matcher m = Pattern.compile(regex).matcher(document);
    List<String> codes = new ArrayList<>();
    while (m.find()) {
      codes.add(m.group(1));
    }
    return codes;
  }
}
