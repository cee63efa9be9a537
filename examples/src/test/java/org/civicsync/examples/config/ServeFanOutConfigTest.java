package org.civicsync.examples.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serve section's services_from_crm and a jurisdiction's fan_out, read and checked. */
class ServeFanOutConfigTest {
  private static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");
  private static final Map<String, String> ENV = Map.of("FMS_API_KEY", "fms-s3cret-key",
      "DYNAMICS_CLIENT_SECRET", "dyn-s3cret-value");
  private static final String SERVE = """
          open311:
            serve: { listen_port: 0, path: /open311/v2/j/, api_key: "${env:FMS_API_KEY}" }
      """;
  private static final String MAPPING = """
          mapping:
            services: { POT: Pothole, LIGHT: StreetLight, BIN: MissedBin }
            statuses:
              crm_to_open311: { NEW: open, FIXED: fixed, CLOSED: closed }
              open311_to_crm: { fixed: FIXED, closed: CLOSED, reopen: NEW }
            timezones: { crm: Europe/London, open311: UTC }
      """;
  private static final String MEMORY = "{ type: memory }";

  @TempDir
  Path dir;

  private final ConfigFile reader = ConfigFile.reader(SecretResolver.of(ENV::get),
      CrmAdapterRegistry.installed(), Clock.fixed(NOW, ZoneOffset.UTC));

  private ConfigException errors(String yaml) {
    ConfigException e = catchThrowableOfType(() -> reader.parse(yaml, dir), ConfigException.class);
    assertThat(e).as("expected configuration errors").isNotNull();
    return e;
  }

  private static String jurisdiction(String body) {
    return "jurisdictions:\n  j:\n" + body;
  }

  @Test
  void theFanOutSampleReadsWithTwoBranchesAndASharedMapping() {
    ConnectorConfig config = reader.read(Path.of("config").resolve("serve-fanout.yaml"));

    JurisdictionConfig bristol = config.jurisdiction("bristol").orElseThrow();
    assertThat(bristol.fansOut()).isTrue();
    assertThat(bristol.fanOut()).extracting(BranchConfig::prefix).containsExactly("hw", "env");
    BranchConfig hw = bristol.fanOut().get(0);
    assertThat(hw.services()).containsExactly("Potholes", "Street lights");
    assertThat(hw.crm().name()).isEqualTo("bristol-hw-memory");
    assertThat(hw.servingId()).isEqualTo("bristol/hw");
    assertThat(hw.mapping()).isSameAs(bristol.mapping());
    assertThat(bristol.fanOut().get(1).crm().name()).isEqualTo("bristol-environment");
    assertThat(bristol.crm()).isEqualTo(hw.crm());
    assertThat(bristol.servingDescription()).containsExactly(
        "bristol is served by `run` at http://127.0.0.1:8312/open311/v2/bristol/ (realtime);"
            + " services from the branches below",
        "  fan-out hw-<id>: [Potholes, Street lights] to CRM bristol-hw-memory [memory]",
        "  fan-out env-<id>: [Fly tipping, Bins] to CRM bristol-environment [memory]");
  }

  @Test
  void aBranchMayGiveItsOwnMappingAndThenNoneIsShared() {
    String own = MAPPING.replace("    mapping:", "        mapping:").replace("\n      ", "\n          ")
        .replace("POT: Pothole, LIGHT: StreetLight, BIN: MissedBin", "POT: roads-pothole");
    ConnectorConfig config = reader.parse(jurisdiction(SERVE + """
            fan_out:
              - prefix: R
                services: [POT]
                crm: { type: memory }
        """ + own), dir);
    BranchConfig r = config.jurisdictions().get(0).fanOut().get(0);
    assertThat(r.mapping().caseType("POT")).contains("roads-pothole");
    assertThat(config.jurisdictions().get(0).mapping()).isSameAs(r.mapping());
  }

  @Test
  void everyFanOutMistakeNamesItsPathAndTheFix() {
    ConfigException e = errors(jurisdiction(SERVE + MAPPING + """
            crm: { type: memory }
            fan_out:
              - prefix: h-w
                services: [POT]
                crm: { type: memory }
              - prefix: env
                services: [POT, TREE]
                crm: { type: memory }
              - prefix: ENV
                services: [BIN]
                crm: { type: memory }
              - prefix: x
                crm: { type: memory }
                colour: blue
        """));

    assertThat(e.errors()).extracting(ConfigError::path).containsExactlyInAnyOrder(
        "jurisdictions.j.crm",
        "jurisdictions.j.fan_out[0].prefix",
        "jurisdictions.j.fan_out[1].services",
        "jurisdictions.j.fan_out[1].services",
        "jurisdictions.j.fan_out[2].prefix",
        "jurisdictions.j.fan_out[3].services",
        "jurisdictions.j.fan_out[3].colour");
    assertThat(e.getMessage())
        .contains("jurisdictions.j.crm: give either crm (one CRM) or fan_out (several), not both")
        .contains("fan_out[0].prefix: 'h-w' must be 1 to 16 letters or digits (no '-'")
        .contains("fan_out[1].services: 'POT' already goes to jurisdictions.j.fan_out[0];"
            + " a service goes to one CRM")
        .contains("fan_out[1].services: 'TREE' is not a service of jurisdictions.j.mapping.services"
            + " [POT, LIGHT, BIN]; add it there or remove it here")
        .contains("fan_out[2].prefix: 'ENV' is already the prefix of jurisdictions.j.fan_out[1]")
        .contains("fan_out[3].services: is required: a list of the Open311 service codes");
  }

  @Test
  void fanOutIsServeModeOnlyAndNeedsAMappingSomewhere() {
    ConfigException e = errors(jurisdiction("""
            open311:
              poll: { endpoint: "https://fms.example/open311/v2/" }
            fan_out:
              - { prefix: a, services: [POT], crm: %s }
        """.formatted(MEMORY)));
    assertThat(e.getMessage())
        .contains("jurisdictions.j.fan_out: only serve mode fans out: give open311.serve and no"
            + " open311.poll")
        .contains("jurisdictions.j.fan_out[0].mapping: is required when the jurisdiction gives no"
            + " mapping");

    assertThat(errors(jurisdiction(SERVE + MAPPING + "    fan_out: []\n")).getMessage())
        .contains("jurisdictions.j.fan_out: must be a list of branches");
    assertThat(errors(jurisdiction(SERVE + MAPPING)).getMessage())
        .contains("jurisdictions.j.crm: is required: give the CRM's type and settings (or, to"
            + " serve one jurisdiction from several CRMs, fan_out");
  }

  @Test
  void servicesFromCrmIsReadWithItsRefreshAndDefaults() {
    ConnectorConfig config = reader.parse(jurisdiction(SERVE.replace("api_key:",
        "services_from_crm: true, services_refresh: 90s, api_key:") + MAPPING
        + "    crm: " + MEMORY + "\n"), dir);
    ServeConfig serve = config.jurisdictions().get(0).serve().orElseThrow();
    assertThat(serve.servicesFromCrm()).isTrue();
    assertThat(serve.servicesRefresh()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.jurisdictions().get(0).servingDescription().get(0))
        .endsWith("services from CRM j-memory's catalogue (through the mapping, refreshed every PT1M30S)");

    ServeConfig plain = reader.parse(jurisdiction(SERVE + MAPPING + "    crm: " + MEMORY + "\n"),
        dir).jurisdictions().get(0).serve().orElseThrow();
    assertThat(plain.servicesFromCrm()).isFalse();
    assertThat(plain.servicesRefresh()).isEqualTo(ServeConfig.DEFAULT_SERVICES_REFRESH);
  }

  @Test
  void servicesFromCrmWithFanOutIsReadAndDescribedAsEveryBranchsCatalogue() {
    ConnectorConfig config = reader.parse(jurisdiction(SERVE.replace("api_key:",
        "services_from_crm: true, services_refresh: 2m, api_key:") + MAPPING + """
            fan_out:
              - { prefix: a, services: [POT], crm: %s }
              - { prefix: b, services: [BIN, LIGHT], crm: %s }
        """.formatted(MEMORY, MEMORY)), dir);
    JurisdictionConfig j = config.jurisdictions().get(0);
    assertThat(j.serve().orElseThrow().servicesFromCrm()).isTrue();
    assertThat(j.fanOut()).extracting(BranchConfig::services)
        .containsExactly(List.of("POT"), List.of("BIN", "LIGHT"));
    assertThat(j.servingDescription().get(0)).endsWith("services from each branch's CRM"
        + " catalogue (through the mapping, only the codes the branch takes, refreshed every"
        + " PT2M)");
  }

  @Test
  void servicesFromCrmNeedsACatalogueInEveryCrmAndARefreshOnlyWithIt() {
    String dynamics = """
            crm:
              type: dynamics
              settings:
                environment_url: https://bristol.crm11.dynamics.com
                tenant_id: 7f3c1a52-9d0e-4b1a-8c55-0d2e4f6a8b90
                client_id: 51f81489-12ee-4a9e-aaae-a2591f45987d
                client_secret: ${env:DYNAMICS_CLIENT_SECRET}
                customer: accounts(a1b2c3d4-0000-4000-8000-00000000c0c1)
                alternate_key_column: new_externalreference
                update_id_column: new_civicsyncupdateid
                case_type_column: new_category
        """;
    ConfigException noCatalogue = errors(jurisdiction(SERVE.replace("api_key:",
        "services_from_crm: true, api_key:") + MAPPING + dynamics));
    assertThat(noCatalogue.errors()).extracting(ConfigError::path)
        .containsExactly("jurisdictions.j.open311.serve.services_from_crm");
    assertThat(noCatalogue.getMessage()).contains("CRM type 'dynamics' has no service catalogue to"
        + " publish; remove services_from_crm").doesNotContain("dyn-s3cret-value");

    ConfigException fanned = errors(jurisdiction(SERVE.replace("api_key:",
        "services_from_crm: true, api_key:") + MAPPING + """
            fan_out:
              - { prefix: a, services: [POT], crm: %s }
              - prefix: b
                services: [BIN]
        """.formatted(MEMORY) + dynamics.indent(4)));
    assertThat(fanned.errors()).extracting(ConfigError::path)
        .containsExactly("jurisdictions.j.fan_out[1].crm");
    assertThat(fanned.getMessage()).contains("jurisdictions.j.fan_out[1].crm: CRM type 'dynamics'"
        + " has no service catalogue, so services_from_crm cannot publish this branch's services;"
        + " give this branch a CRM type with one, or remove"
        + " jurisdictions.j.open311.serve.services_from_crm").doesNotContain("dyn-s3cret-value");

    ConfigException refreshAlone = errors(jurisdiction(SERVE.replace("api_key:",
        "services_refresh: 5m, api_key:") + MAPPING + "    crm: " + MEMORY + "\n"));
    assertThat(refreshAlone.getMessage()).contains("jurisdictions.j.open311.serve.services_refresh:"
        + " only applies with services_from_crm: true");
  }
}
