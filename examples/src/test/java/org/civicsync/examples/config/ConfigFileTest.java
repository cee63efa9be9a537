package org.civicsync.examples.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.civicsync.core.sync.SyncSettings;
import org.civicsync.open311.Format;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
  private static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");
  private static final Path SAMPLES = Path.of("config");
  private static final Map<String, String> ENV = Map.of(
      "SN_PASSWORD", "sn-s3cret-pw", "FMS_API_KEY", "fms-s3cret-key",
      "DYNAMICS_CLIENT_SECRET", "dyn-s3cret-value", "CASES_CLIENT_SECRET", "cases-s3cret");

  @TempDir
  Path dir;

  private final ConfigFile reader = ConfigFile.reader(SecretResolver.of(ENV::get),
      CrmAdapterRegistry.installed(), Clock.fixed(NOW, ZoneOffset.UTC));

  private ConfigException errors(String yaml) {
    return catchThrowableOfType(() -> reader.parse(yaml, dir), ConfigException.class);
  }

  @Test
  void theMemorySampleReadsWithItsDefaultsFilledIn() {
    ConnectorConfig config = reader.read(SAMPLES.resolve("memory.yaml"));

    JurisdictionConfig bristol = config.jurisdiction("bristol").orElseThrow();
    PollConfig poll = bristol.poll().orElseThrow();
    assertThat(poll.endpoint()).hasToString("https://www.fixmystreet.com/open311/v2/");
    assertThat(poll.format()).isEqualTo(Format.XML);
    assertThat(poll.every()).isEqualTo(Duration.ofSeconds(60));
    assertThat(bristol.crm().type()).isEqualTo("memory");
    assertThat(bristol.crm().name()).isEqualTo("bristol-memory");
    assertThat(bristol.sync().backfillFrom()).isEqualTo(NOW.minus(Duration.ofDays(1)));
    assertThat(bristol.mapping().services()).containsEntry("Potholes", "Pothole");
    assertThat(config.store()).isEqualTo(new StoreConfig.H2File(
        SAMPLES.toAbsolutePath().resolve("state/memory")));
    assertThat(config.operation().listenPort()).contains(9311);
  }

  @Test
  void theServiceNowSampleResolvesSecretsAndNeverShowsThem() {
    ConnectorConfig config = reader.read(SAMPLES.resolve("servicenow.yaml"));

    JurisdictionConfig bristol = config.jurisdiction("bristol").orElseThrow();
    assertThat(bristol.poll().orElseThrow().apiKey().orElseThrow().value()).isEqualTo("fms-s3cret-key");
    assertThat(bristol.crm().settings().get("password")).isEqualTo("sn-s3cret-pw");
    assertThat(bristol.resilience().crm().callsPerSecond()).contains(20);
    assertThat(config.toString()).contains("${env:FMS_API_KEY}=<redacted>")
        .doesNotContain("sn-s3cret-pw", "fms-s3cret-key");
  }

  @Test
  void theDynamicsSampleBuildsItsAdapterAndNeverShowsTheSecret() {
    ConnectorConfig config = reader.read(SAMPLES.resolve("dynamics.yaml"));

    JurisdictionConfig bristol = config.jurisdiction("bristol").orElseThrow();
    assertThat(bristol.crm().type()).isEqualTo("dynamics");
    assertThat(bristol.crm().name()).isEqualTo("bristol-dynamics");
    assertThat(bristol.crm().settings().get("client_secret")).isEqualTo("dyn-s3cret-value");
    assertThat(bristol.mapping().services()).containsEntry("Potholes", "roads");
    try (var crm = CrmAdapterRegistry.installed().create("dynamics", bristol.crm().name(),
        bristol.crm().settings())) {
      assertThat(crm.toString()).contains("bristol-dynamics", "bristol.crm11.dynamics.com")
          .doesNotContain("dyn-s3cret-value");
    }
    assertThat(config.toString()).doesNotContain("dyn-s3cret-value", "fms-s3cret-key");
  }

  @Test
  void theOpen311PassThroughSampleBuildsAnOpen311BackOfficeAdapter() {
    ConfigFile withBackOfficeKey = ConfigFile.reader(SecretResolver.of(Map.of(
            "FMS_API_KEY", "fms-s3cret-key", "BACK_OFFICE_API_KEY", "bo-s3cret-key")::get),
        CrmAdapterRegistry.installed(), Clock.fixed(NOW, ZoneOffset.UTC));

    ConnectorConfig config = withBackOfficeKey.read(SAMPLES.resolve("open311.yaml"));

    JurisdictionConfig bristol = config.jurisdiction("bristol").orElseThrow();
    assertThat(bristol.crm().type()).isEqualTo("open311");
    assertThat(bristol.crm().settings().get("api_key")).isEqualTo("bo-s3cret-key");
    try (var adapter = CrmAdapterRegistry.installed().create(bristol.crm().type(),
        bristol.crm().name(), bristol.crm().settings())) {
      assertThat(adapter.name()).isEqualTo("bristol-back-office");
      assertThat(adapter.capability(org.civicsync.core.spi.CaseUpdates.class)).isPresent();
    }
    assertThat(config.toString()).doesNotContain("bo-s3cret-key", "fms-s3cret-key");
  }

  @Test
  void theRestSampleReadsItsNestedSettingsAndResolvesTheirSecrets() {
    ConnectorConfig config = reader.read(SAMPLES.resolve("rest.yaml"));

    CrmConfig crm = config.jurisdiction("bristol").orElseThrow().crm();
    assertThat(crm.type()).isEqualTo("rest");
    assertThat(crm.name()).isEqualTo("bristol-cases");
    @SuppressWarnings("unchecked")
    Map<String, Object> auth = (Map<String, Object>) crm.settings().get("auth");
    assertThat(auth).containsEntry("client_secret", "cases-s3cret")
        // a URL is not a secret, though its key says "token"
        .containsEntry("token_url", "https://login.bristol.example/oauth/token");
    assertThat(config.toString()).doesNotContain("cases-s3cret");
  }

  @Test
  void aBadRestSettingIsReportedWithItsPathInsideTheSettings() {
    ConfigException e = errors(minimal("""
            poll: { endpoint: "https://fms.example/open311/v2/" }
        """, "{ base_url: https://x.example/, auth: { type: bearer, token: inline-t0ken } }")
        .replace("type: servicenow", "type: rest"));

    assertThat(e.errors()).extracting(ConfigError::path)
        .contains("jurisdictions.j.crm.settings.auth.token");
    assertThat(e.getMessage()).doesNotContain("inline-t0ken");
  }

  @Test
  void everyErrorInTheFileIsReportedAtOnceWithItsPathAndFix() {
    ConfigException e = errors("""
        stor: {}
        jurisdictions:
          bristol:
            open311:
              poll: { endpoint: "ftp://x/", format: csv, every: soon, posts_updates: maybe }
            crm: { type: memory, settings: { colour: blue } }
            mapping:
              services: { POT: Pothole }
              statuses: { crm_to_open311: { NEW: opn } }
              timezones: { crm: Europe/Lundon, open311: UTC }
            sync: { max_attempts: 0, retry_backoff: -3s }
          camden:
            crm: { type: salesforse }
        """);

    assertThat(e.errors()).extracting(ConfigError::path).contains(
        "stor",
        "jurisdictions.bristol.open311.poll.endpoint",
        "jurisdictions.bristol.open311.poll.format",
        "jurisdictions.bristol.open311.poll.every",
        "jurisdictions.bristol.open311.poll.posts_updates",
        "jurisdictions.bristol.crm.settings",
        "jurisdictions.bristol.mapping.statuses.crm_to_open311.NEW",
        "jurisdictions.bristol.mapping.timezones.crm",
        "jurisdictions.bristol.sync.max_attempts",
        "jurisdictions.bristol.sync.retry_backoff",
        "jurisdictions.camden.open311",
        "jurisdictions.camden.crm.type",
        "jurisdictions.camden.mapping");
    assertThat(e.getMessage())
        .contains("stor: unknown key: expected one of [jurisdictions, operation, store]")
        .contains("must be an http:// or https:// URL")
        .contains("must be xml or json")
        .contains("unknown setting 'colour'")
        // Adapters are added over time: name the ones this test relies on, not the whole list.
        .containsPattern("unknown CRM type 'salesforse': installed types are \\[[a-z0-9, ]*"
            + "memory[a-z0-9, ]*salesforce[a-z0-9, ]*\\]");
  }

  @Test
  void anInlineSecretIsRefusedWithoutEchoingIt() {
    ConfigException e = errors(minimal("""
            poll: { endpoint: "https://fms.example/open311/v2/", api_key: plain-text-key }
        """, "{ instance_url: https://x.service-now.com/, auth: basic, user: u, password: hunter2 }"));

    assertThat(e.errors()).extracting(ConfigError::path).containsExactlyInAnyOrder(
        "jurisdictions.j.open311.poll.api_key", "jurisdictions.j.crm.settings.password");
    assertThat(e.getMessage()).contains("by reference, not inline: write ${env:NAME}")
        .doesNotContain("plain-text-key", "hunter2");
  }

  @Test
  void anUnsetVariableAndAMissingFileAreNamed() throws Exception {
    Path keyFile = dir.resolve("key");
    Files.writeString(keyFile, "from-a-file\n");
    ConnectorConfig ok = reader.parse(minimal("""
            poll: { endpoint: "https://fms.example/open311/v2/", api_key: "${file:%s}" }
        """.formatted(keyFile), "{ instance_url: https://x.service-now.com/, auth: basic, user: u, password: \"${env:SN_PASSWORD}\" }"), dir);
    assertThat(ok.jurisdictions().get(0).poll().orElseThrow().apiKey().orElseThrow().value())
        .isEqualTo("from-a-file");

    ConfigException e = errors(minimal("""
            poll: { endpoint: "https://fms.example/open311/v2/", api_key: "${file:/nonexistent/key}" }
        """, "{ instance_url: https://x.service-now.com/, auth: basic, user: u, password: \"${env:NOPE}\" }"));
    assertThat(e.getMessage()).contains("cannot read secret file /nonexistent/key")
        .contains("environment variable NOPE is not set");
  }

  @Test
  void aPostgresStoreNeedsItsPasswordByReference() {
    ConfigException e = errors("""
        store: { postgresql: { url: "jdbc:mysql://db/x", user: u } }
        """ + minimal("    poll: { endpoint: \"https://fms.example/open311/v2/\" }\n", null));

    assertThat(e.errors()).extracting(ConfigError::path)
        .contains("store.postgresql.password", "store.postgresql.url");
  }

  @Test
  void serveModeIsReadAndCheckedAndDefaultsApply() {
    ConnectorConfig config = reader.parse(minimal("""
            serve: { path: /open311/v2/j/, api_key: "${env:FMS_API_KEY}", queued: true }
        """, null), dir);

    JurisdictionConfig j = config.jurisdictions().get(0);
    assertThat(j.poll()).isEmpty();
    assertThat(j.serve().orElseThrow().queued()).isTrue();
    assertThat(j.serve().orElseThrow().listenHost()).isEqualTo("127.0.0.1");
    assertThat(j.serve().orElseThrow().listenPort()).isEqualTo(ServeConfig.DEFAULT_PORT);
    assertThat(j.serve().orElseThrow().every()).isEqualTo(Duration.ofSeconds(2));
    assertThat(j.sync()).isEqualTo(SyncSettings.ofDefaults(NOW.minus(Duration.ofDays(1))));
    assertThat(config.store()).isEqualTo(new StoreConfig.H2File(dir.resolve("civicsync-state")));
    assertThatThrownBy(() -> reader.parse(minimal("    serve: { path: nowhere }\n", null), dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("jurisdictions.j.open311.serve.path: must start and end with /")
        .hasMessageContaining("jurisdictions.j.open311.serve.api_key: is required");
  }

  @Test
  void servedJurisdictionsOnOneAddressNeedPathsApart() {
    String one = minimal("""
            serve: { listen_port: 8400, path: /open311/v2/, api_key: "${env:FMS_API_KEY}" }
        """, null);
    String two = one + one.substring(one.indexOf("  j:\n")).replace("  j:\n", "  k:\n")
        .replace("/open311/v2/", "/open311/v2/k/");
    assertThatThrownBy(() -> reader.parse(two, dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("jurisdictions.k.open311.serve.path: overlaps the path of j");
    ConnectorConfig apart = reader.parse(two.replace("/open311/v2/, api_key", "/open311/v2/j/, api_key")
        .replace("listen_port: 8400, path: /open311/v2/k/", "listen_port: 8400, path: /open311/v2/k/"), dir);
    assertThat(apart.jurisdictions()).hasSize(2);
    ConnectorConfig otherPort = reader.parse(two.replace("8400, path: /open311/v2/k/", "8401, path: /open311/v2/k/"), dir);
    assertThat(otherPort.jurisdictions()).hasSize(2);
  }

  @Test
  void brokenYamlSaysWhere() {
    ConfigException e = errors("jurisdictions:\n  j: [unclosed\n");

    assertThat(e.getMessage()).contains("not valid YAML at line");
  }

  /** One jurisdiction {@code j}: the given open311 lines, a memory CRM or ServiceNow settings. */
  private static String minimal(String open311Lines, String serviceNowSettings) {
    String crm = serviceNowSettings == null ? "{ type: memory }"
        : "{ type: servicenow, settings: " + serviceNowSettings + " }";
    return """
        jurisdictions:
          j:
            open311:
        %s    crm: %s
            mapping:
              services: { POT: Pothole }
              statuses: { crm_to_open311: { NEW: open, CLOSED: closed } }
              timezones: { crm: UTC, open311: UTC }
        """.formatted(open311Lines.indent(2), crm);
  }
}
