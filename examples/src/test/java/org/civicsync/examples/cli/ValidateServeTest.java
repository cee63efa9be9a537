package org.civicsync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code validate} on serve-mode configurations: how each is served, and every branch's CRM asked. */
class ValidateServeTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int validate(String yaml) throws Exception {
    Files.writeString(dir.resolve("key"), "k3y-from-a-file\n");
    Path file = dir.resolve("civicsync.yaml");
    Files.writeString(file, yaml.replace("KEYFILE", dir.resolve("key").toString()));
    CommandLine cli = new CommandLine(new CivicSyncCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute("validate", "--config", file.toString());
  }

  private static final String MAPPING = """
          mapping:
            services: { POT: Pothole, BIN: MissedBin }
            statuses:
              crm_to_open311: { NEW: open, CLOSED: closed }
              open311_to_crm: { closed: CLOSED, reopen: NEW }
            timezones: { crm: Europe/London, open311: UTC }
      """;

  @Test
  void aFanOutIsDescribedBranchByBranchAndEveryBranchCrmIsAsked() throws Exception {
    int exit = validate("""
        store: { h2_file: state }
        jurisdictions:
          j:
            open311:
              serve: { listen_port: 8555, path: /open311/v2/j/, api_key: "${file:KEYFILE}" }
        """ + MAPPING + """
            fan_out:
              - { prefix: hw, services: [POT], crm: { type: memory } }
              - { prefix: env, services: [BIN], crm: { type: memory, name: j-environment } }
        """);

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("jurisdictions [j (serve) fanned out to CRMs [j-hw-memory [memory],"
            + " j-environment [memory]]]")
        .contains("note: j is served by `run` at http://127.0.0.1:8555/open311/v2/j/ (realtime);"
            + " services from the branches below")
        .contains("  fan-out hw-<id>: [POT] to CRM j-hw-memory [memory]")
        .contains("  fan-out env-<id>: [BIN] to CRM j-environment [memory]")
        .contains("ok      crm:j-hw-memory: answered its service list")
        .contains("ok      crm:j-environment: answered its service list")
        .doesNotContain("k3y-from-a-file");
  }

  @Test
  void servicesFromACrmWhoseCatalogueMapsNothingFailsTheCheck() throws Exception {
    // The in-memory CRM made from configuration lists no case types at all.
    int exit = validate("""
        store: { h2_file: state }
        jurisdictions:
          j:
            open311:
              serve: { path: /open311/v2/j/, api_key: "${file:KEYFILE}", services_from_crm: true }
            crm: { type: memory }
        """ + MAPPING);

    assertThat(exit).as(out.toString()).isEqualTo(3);
    assertThat(out.toString()).contains("note: j is served by `run` at http://127.0.0.1:8311"
        + "/open311/v2/j/ (realtime); services from CRM j-memory's catalogue (through the mapping,"
        + " refreshed every PT10M)");
    assertThat(err.toString()).contains("FAILED  crm:j-memory: answered its service list: 0"
        + " services, 0 of them mapped to an Open311 service_code; services_from_crm would answer"
        + " services with 503");
  }

  @Test
  void servicesFromCrmWithFanOutChecksEveryBranchsCatalogue() throws Exception {
    // The in-memory CRMs made from configuration list no case types: neither branch publishes.
    int exit = validate("""
        store: { h2_file: state }
        jurisdictions:
          j:
            open311:
              serve: { path: /open311/v2/j/, api_key: "${file:KEYFILE}", services_from_crm: true }
        """ + MAPPING + """
            fan_out:
              - { prefix: hw, services: [POT], crm: { type: memory } }
              - { prefix: env, services: [BIN], crm: { type: memory } }
        """);

    assertThat(exit).as(out.toString()).isEqualTo(3);
    assertThat(out.toString()).contains("(realtime); services from each branch's CRM catalogue");
    assertThat(err.toString())
        .contains("FAILED  crm:j-hw-memory: answered its service list: 0 services, 0 of them")
        .contains("FAILED  crm:j-env-memory: answered its service list: 0 services, 0 of them")
        .contains("to a service_code this CRM takes");
  }

  @Test
  void servicesFromACrmWithoutACatalogueIsAConfigurationError() throws Exception {
    int exit = validate("""
        store: { h2_file: state }
        jurisdictions:
          j:
            open311:
              serve:
                path: /open311/v2/j/
                api_key: "${file:KEYFILE}"
                services_from_crm: true
            crm:
              type: dynamics
              settings:
                environment_url: https://bristol.crm11.dynamics.com
                tenant_id: 7f3c1a52-9d0e-4b1a-8c55-0d2e4f6a8b90
                client_id: 51f81489-12ee-4a9e-aaae-a2591f45987d
                client_secret: ${file:KEYFILE}
                customer: accounts(a1b2c3d4-0000-4000-8000-00000000c0c1)
                alternate_key_column: new_externalreference
                update_id_column: new_civicsyncupdateid
                case_type_column: new_category
        """ + MAPPING);

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("jurisdictions.j.open311.serve.services_from_crm: CRM type"
        + " 'dynamics' has no service catalogue to publish").doesNotContain("k3y-from-a-file");
  }
}
