package org.civicsync.examples.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okXml;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as an operator starts it: a real {@code java -jar} child process. Runs in
 * {@code verify}, after {@code package} has built the jar.
 */
class CivicSyncJarIT {
  private static final Path JAR = Path.of(System.getProperty("civicsync.jar", "target/civicsync.jar"));
  private static final Map<String, String> SAMPLE_SECRETS =
      Map.of("SN_PASSWORD", "sn-secret-value", "FMS_API_KEY", "fms-secret-value",
          "DYNAMICS_CLIENT_SECRET", "dyn-secret-value", "BACK_OFFICE_API_KEY", "bo-secret-value",
          "CASES_CLIENT_SECRET", "cases-secret-value");

  @RegisterExtension
  static WireMockExtension open311 = WireMockExtension.newInstance()
      .options(WireMockConfiguration.wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  @TempDir
  Path dir;

  record Run(int exit, String out, String err) {}

  private Run civicsync(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    // A bounded wait for a real child process, the one place a test may wait on the clock.
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("civicsync " + String.join(" ", args) + " did not finish in 120 s");
    }
    return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
  }

  @Test
  void everySampleConfigurationValidates() throws Exception {
    List<Path> samples;
    try (Stream<Path> files = Files.list(Path.of("config"))) {
      samples = files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
    }
    // Every *.yaml in examples/config/, whoever added it: one per CRM type at least.
    assertThat(samples).extracting(f -> f.getFileName().toString())
        .contains("memory.yaml", "serve-memory.yaml", "servicenow.yaml", "salesforce.yaml",
            "jdbc.yaml", "dynamics.yaml", "rest.yaml", "open311.yaml");
    for (Path sample : samples) {
      // Each ${env:NAME} the sample refers to gets a value only this test knows.
      Map<String, String> env = new java.util.TreeMap<>(SAMPLE_SECRETS);
      java.util.regex.Matcher refs = java.util.regex.Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)}")
          .matcher(Files.readString(sample, StandardCharsets.UTF_8));
      while (refs.find()) {
        env.putIfAbsent(refs.group(1), "sample-secret-" + refs.group(1).toLowerCase(java.util.Locale.ROOT));
      }
      Run run = civicsync(env, "validate", "--no-connect", "--config", sample.toAbsolutePath().toString());

      assertThat(run.exit()).as(sample + ": " + run.out() + run.err()).isZero();
      assertThat(run.out()).contains("valid");
      for (String secret : env.values()) {
        assertThat(run.out() + run.err()).as(sample.toString()).doesNotContain(secret);
      }
    }
  }

  @Test
  void everyCrmAdapterOfTheModuleIsInstalledInTheJar() throws Exception {
    Path file = dir.resolve("acme.yaml");
    Files.writeString(file, config("http://127.0.0.1:1/v2/", "every: 1m").replace("type: memory", "type: acme"));

    Run run = civicsync(Map.of(), "validate", "--no-connect", "--config", file.toString());

    assertThat(run.exit()).isEqualTo(2);
    // Sorted; other adapters may sit between these.
    assertThat(run.err()).containsPattern("unknown CRM type 'acme': installed types are "
        + "\\[(.*, )?jdbc, (.*, )?memory, (.*, )?salesforce, servicenow(, .*)?]");
  }

  @Test
  void validateReportsEveryErrorAndAnUnreachableSystem() throws Exception {
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, config("ftp://nowhere/", "every: soon"));
    Run bad = civicsync(Map.of(), "validate", "--config", broken.toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("2 errors", "jurisdictions.town.open311.poll.endpoint",
        "jurisdictions.town.open311.poll.every");

    open311.stubFor(get(urlPathEqualTo("/v2/services.xml")).willReturn(okXml(
        "<services><service><service_code>POT</service_code><service_name>Pothole</service_name>"
            + "<metadata>false</metadata><type>realtime</type></service></services>")));
    Path good = dir.resolve("good.yaml");
    Files.writeString(good, config(open311.baseUrl() + "/v2/", "every: 1m"));
    Run ok = civicsync(Map.of(), "validate", "--config", good.toString());
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("ok      open311:town", "1 services", "ok      crm:town-memory");

    Path down = dir.resolve("down.yaml");
    Files.writeString(down, config("http://127.0.0.1:1/v2/", "every: 1m"));
    Run unreachable = civicsync(Map.of(), "validate", "--config", down.toString());
    assertThat(unreachable.exit()).isEqualTo(3);
    assertThat(unreachable.err()).contains("FAILED  open311:town");
  }

  @Test
  void onceSyncsNewReportsIntoTheStoreAndStatusShowsThem() throws Exception {
    String requested = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
    open311.stubFor(get(urlPathEqualTo("/v2/requests.xml")).willReturn(okXml(
        "<service_requests><request><service_request_id>501</service_request_id><status>open</status>"
            + "<service_code>POT</service_code><description>Pothole</description>"
            + "<requested_datetime>" + requested + "</requested_datetime>"
            + "<updated_datetime>" + requested + "</updated_datetime>"
            + "<lat>51.45</lat><long>-2.59</long></request></service_requests>")));
    Path file = dir.resolve("town.yaml");
    Files.writeString(file, config(open311.baseUrl() + "/v2/", "every: 1m"));

    Run once = civicsync(Map.of(), "once", "--config", file.toString());

    assertThat(once.exit()).as(once.err()).isZero();
    assertThat(once.out()).contains("town: ", "1 new, 1 CRM cases created", "0 failed");
    assertThat(open311.findAll(getRequestedFor(urlPathEqualTo("/v2/requests.xml")))).isNotEmpty();
    Run status = civicsync(Map.of(), "status", "--config", file.toString());
    assertThat(status.exit()).isZero();
    // The memory CRM lives in the process that made the case: the store keeps the link.
    assertThat(status.out()).contains("links:  1 open, 0 complete", "0 dead",
        "open311-requests: last recorded");

    open311.stubFor(get(urlPathEqualTo("/v2/requests.xml")).willReturn(aResponse().withStatus(503)));
    Run failing = civicsync(Map.of(), "once", "--config", file.toString());
    assertThat(failing.exit()).isEqualTo(1);
    assertThat(failing.err()).contains("FAILED  open311:town");
  }

  @Test
  void runStopsOnSigtermAfterThePassInProgressWith143AndLeavesAStoreStatusReads() throws Exception {
    String requested = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
    // Every GET requests takes a second: a SIGTERM sent while one is outstanding lands mid-pass.
    open311.stubFor(get(urlPathEqualTo("/v2/requests.xml")).willReturn(okXml(
        "<service_requests><request><service_request_id>601</service_request_id><status>open</status>"
            + "<service_code>POT</service_code><description>Pothole</description>"
            + "<requested_datetime>" + requested + "</requested_datetime>"
            + "<updated_datetime>" + requested + "</updated_datetime>"
            + "<lat>51.45</lat><long>-2.59</long></request></service_requests>").withFixedDelay(1000)));
    Path file = dir.resolve("town.yaml");
    Files.writeString(file, config(open311.baseUrl() + "/v2/", "every: 1s"));
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toString(), "run", "--config", file.toString());
    Path out = dir.resolve("run-out.txt");
    Process run = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
        .redirectError(dir.resolve("run-err.txt").toFile()).start();
    try {
      awaitLine(run, out, "1 new, 1 CRM cases created, 1 CRM changes read");
      int asked = open311.findAll(getRequestedFor(urlPathEqualTo("/v2/requests.xml"))).size();
      // The next pass has sent its first GET requests: stop now, in the middle of it.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (open311.getAllServeEvents().stream()
          .filter(e -> e.getRequest().getUrl().startsWith("/v2/requests.xml")).count() <= asked) {
        assertThat(System.nanoTime()).as("no second pass started").isLessThan(deadline);
        Thread.sleep(20);
      }
      // WireMock logs a request when it arrives, before its delayed answer: the pass is under way.
      run.destroy(); // SIGTERM on Linux
      assertThat(run.waitFor(90, TimeUnit.SECONDS)).as("run did not stop within 90 s").isTrue();
    } finally {
      run.destroyForcibly();
    }
    String printed = Files.readString(out, StandardCharsets.UTF_8);
    String err = Files.readString(dir.resolve("run-err.txt"), StandardCharsets.UTF_8);

    assertThat(run.exitValue()).as(printed + err).isEqualTo(143);
    List<String> lines = printed.lines().toList();
    int stopping = lines.indexOf(lines.stream().filter(l -> l.startsWith("civicsync stopping")).findFirst()
        .orElseThrow(() -> new AssertionError("no stopping line in " + printed)));
    assertThat(lines.subList(0, stopping).stream().filter(l -> l.startsWith("town: ") && l.endsWith("failed")))
        .as("the pass in progress finished and printed its line before the stop").hasSizeGreaterThanOrEqualTo(2)
        .last().asString().contains("0 new", "0 failed");
    assertThat(err).doesNotContain("Exception", "ERROR");

    Run status = civicsync(Map.of(), "status", "--config", file.toString());
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out()).contains("links:  1 open, 0 complete", "0 dead");
  }

  /** Waits (bounded) until the running process has printed a line containing {@code text}. */
  private static void awaitLine(Process process, Path out, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(out, StandardCharsets.UTF_8).contains(text)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("no '" + text + "' from run (alive: " + process.isAlive() + "): "
            + Files.readString(out, StandardCharsets.UTF_8));
      }
      Thread.sleep(50);
    }
  }

  @Test
  void theDemoRunsAsAProcessAndExitsZero() throws Exception {
    Run demo = civicsync(Map.of(), "demo");

    assertThat(demo.exit()).as(demo.err()).isZero();
    assertThat(demo.out()).contains("is now 'fixed'", "Done: in poll mode 3 reports reached the CRM exactly once",
        "in serve mode the report FixMyStreet pushed reached the CRM exactly once");
  }

  private static String config(String endpoint, String every) {
    return """
        store: { h2_file: state }
        jurisdictions:
          town:
            open311:
              poll: { endpoint: "%s", %s }
            crm: { type: memory }
            mapping:
              services: { POT: Pothole }
              statuses: { crm_to_open311: { NEW: open, CLOSED: closed } }
              timezones: { crm: UTC, open311: UTC }
            sync: { backfill_from: 1d }
            resilience: { open311: { max_attempts: 1 } }
        """.formatted(endpoint, every);
  }
}
