package org.civicsync.crm.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.civicsync.core.spi.CrmAdapterRegistry;
import org.junit.jupiter.api.Test;

/** Every bad setting is reported, all at once, with its path and what would be right. */
class RestSettingsTest {
  private static final String BASE = "http://crm.example";

  private static String problems(String yaml) {
    IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class,
        () -> RestProvider.read("council-cases", RestConfigs.settings(yaml, BASE, "s")));
    assertThat(e).as("an error for the settings").isNotNull();
    assertThat(e.getMessage()).startsWith("council-cases: ");
    return e.getMessage();
  }

  @Test
  void bothSampleConfigurationsRead() {
    RestSettings cases = RestProvider.read("c", RestConfigs.settings(RestConfigs.CASES, BASE, "s"));
    RestSettings tickets =
        RestProvider.read("t", RestConfigs.settings(RestConfigs.TICKETS, BASE, "s"));

    assertThat(cases.auth()).isInstanceOf(RestAuth.ClientCredentials.class);
    assertThat(cases.idempotencyHeader()).contains("Idempotency-Key");
    assertThat(cases.paging().style()).isEqualTo("next_link");
    assertThat(tickets.auth()).isEqualTo(new RestAuth.ApiKey("X-Api-Key", "s"));
    assertThat(tickets.idempotencyHeader()).isEmpty();
    assertThat(tickets.shape().modifiedTime()).isInstanceOf(ModifiedTime.EpochMillis.class);
    assertThat(tickets.operations().close()).isEmpty();
  }

  @Test
  void theSampleSettingsOfTheExamplesRead() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    for (Path sample : List.of(Path.of("../examples/config/rest.yaml"),
        Path.of("../examples/config/crm/rest-tickets.yaml"))) {
      JsonNode crm = yaml.readTree(sample.toFile()).findValue("crm");
      Map<String, Object> settings = yaml.convertValue(crm.get("settings"),
          new TypeReference<Map<String, Object>>() {});

      RestSettings read = RestProvider.read(crm.path("name").asText(), settings);

      assertThat(read.baseUrl().host()).as(sample.toString()).endsWith(".bristol.example");
    }
  }

  @Test
  void theProviderIsInstalledAsTypeRest() {
    assertThat(CrmAdapterRegistry.installed().types()).contains("rest");
  }

  @Test
  void everyBadValueIsNamedByItsPath() {
    String message = problems(RestConfigs.CASES
        .replace("base_url: ${base}/api/v2", "base_url: ftp:/nowhere\ncolour: blue")
        .replace("type: oauth2_client_credentials", "type: oauth3")
        .replace("method: POST\n    url: /cases", "method: POTS\n    url: cases")
        .replace("\"/cases?external_ref={external_reference}\"", "\"/cases?ref={reference}\"")
        .replace("\"/cases/{id}\" }", "\"/cases/{case}\" }")
        .replace("version: /version", "version: version")
        .replace("style: next_link, next: /links/next", "style: pages")
        .replace("format: iso_instant", "format: local, zone: Europe/Lundon")
        .replace("closed_statuses: [resolved, closed]", "closed_statuses: []")
        .replace("read_timeout_seconds: 2", "read_timeout_seconds: -1"));

    assertThat(message).contains(
        "colour: unknown setting: expected one of [auth, base_url,",
        "base_url: must be an http:// or https:// URL, not 'ftp:/nowhere'",
        "auth.type: must be one of [api_key, basic, bearer, none, oauth2_client_credentials],"
            + " not 'oauth3'",
        "operations.create.method: must be one of [GET, PATCH, POST, PUT], not 'POTS'",
        "operations.create.url: must start with / (it is relative to base_url), not 'cases'",
        "operations.find.url: unknown placeholder {reference}: this operation knows"
            + " {external_reference}",
        "operations.find.url: must name {external_reference}",
        "operations.get.url: unknown placeholder {case}",
        "response.version: must be a JSON Pointer (RFC 6901) such as /data/id, not 'version'",
        "paging.style: must be one of [cursor, link_header, next_link, none, offset],"
            + " not 'pages'",
        "modified_time.zone: is not a time zone: 'Europe/Lundon'",
        "closed_statuses: must name at least one status",
        "read_timeout_seconds: must be a number of seconds above 0, not '-1'");
    assertThat(message).contains("14 bad settings");
  }

  @Test
  void missingSectionsAndSettingsAreNamedWithWhatTheyAreFor() {
    String message = problems("base_url: http://crm.example/\n");

    assertThat(message).contains(
        "auth: is required: type none, basic, bearer, api_key or oauth2_client_credentials",
        "operations: is required: create, find, get, changes, note and status",
        "response: is required: JSON Pointers to the fields",
        "closed_statuses: is required",
        "close_status: is required");
  }

  @Test
  void authStylesNameTheirOwnMissingParts() {
    assertThat(problems(RestConfigs.TICKETS.replace(
        "auth: { type: api_key, header: X-Api-Key, key: \"${secret}\" }",
        "auth: { type: api_key, header: \"X Api Key\", token: t }")))
        .contains("auth.token: unknown setting: expected one of [header, key, type]",
            "auth.header: is not an HTTP header name: 'X Api Key'",
            "auth.key: is required: a ${env:...} reference");
    assertThat(problems(RestConfigs.TICKETS.replace(
        "auth: { type: api_key, header: X-Api-Key, key: \"${secret}\" }",
        "auth: { type: basic, user: civicsync }")))
        .contains("auth.password: is required");
    assertThat(problems(RestConfigs.CASES.replace("client_id: civicsync-connector\n",
        "client_auth: header\n")))
        .contains("auth.client_id: is required: the OAuth client id",
            "auth.client_auth: must be one of [basic, form], not 'header'");
  }

  @Test
  void templatesMayOnlyNameValuesTheirOperationHas() {
    String message = problems(RestConfigs.CASES
        .replace("description: \"{description}\"", "description: \"{descripton}\"")
        .replace("body: { body: \"{note}\", update_id: \"{update_id}\" }",
            "body: { body: \"{text}\" }")
        .replace("method: GET, url: \"/cases/{id}/notes\"",
            "method: GET, url: \"/cases/{id}/notes\", body: { a: b }")
        .replace("method: PATCH, url: \"/cases/{id}\", body: { status: \"{status}\" }",
            "method: GET, url: \"/cases/{id}\""));

    assertThat(message).contains(
        "operations.create.body: unknown placeholder {descripton}: this operation knows",
        "operations.note.body: unknown placeholder {text}",
        "operations.note.body: must place the note's text somewhere: \"{note}\"",
        "operations.notes.body: is not used by this operation",
        "operations.status.method: must be POST, PUT or PATCH: it writes");
  }

  @Test
  void aCreateNeedsABodyAndAStatusChangeMustSendTheStatus() {
    assertThat(problems(RestConfigs.TICKETS
        .replace("create: { method: POST, url: /tickets, body: { reference: \"{external_reference}\","
            + " kind: \"{case_type}\", text: \"{description}\" } }",
            "create: { method: POST, url: /tickets }")
        .replace("body: { state: \"{status}\" }", "body: { state: \"{close_reason}\" }")))
        .contains("operations.create.body: is required: the JSON of a new case",
            "operations.status.body: must place the new status somewhere: \"{status}\"");
  }

  @Test
  void aNoteUpdateIdFieldMustBeWrittenByTheNoteBody() {
    assertThat(problems(RestConfigs.CASES.replace(
        "body: { body: \"{note}\", update_id: \"{update_id}\" }", "body: { body: \"{note}\" }")))
        .contains("operations.note.body: must send \"{update_id}\":"
            + " response.note_update_id reads it back");
  }

  @Test
  void pagingStylesNameWhatTheyNeedAndWhatTheyDoNotUse() {
    assertThat(problems(RestConfigs.CASES.replace("style: next_link, next: /links/next",
        "style: cursor, next: /links/next")))
        .contains("paging.cursor: is required: the JSON Pointer to the next page's cursor token",
            "paging.param: is required", "paging.next: is not used by paging style cursor");
  }

  @Test
  void aSettingThatShouldBeAMapSaysSo() {
    assertThat(problems(RestConfigs.TICKETS.replace(
        "auth: { type: api_key, header: X-Api-Key, key: \"${secret}\" }", "auth: api_key")))
        .contains("auth: must be a map of settings, not a string");
  }

  @Test
  void detailsNeedAReadingOperationAndPointersThatMakeSense() {
    String message = problems(RestConfigs.CASES
        .replace("details: { method: GET, url: \"/cases/{id}?fields=title,description,location,"
            + "created_at\" }", "details: { method: POST, url: \"/cases/{ref}\" }")
        .replace("    longitude: /location/lng\n", "    email: /reporter/email\n"));

    assertThat(message).contains(
        "operations.details.method: must be GET: it only reads",
        "operations.details.url: unknown placeholder {ref}: this operation knows {id}",
        "operations.details.url: must name {id}",
        "response.details.email: unknown setting: expected one of [address, description,",
        "response.details.longitude: is required with latitude: a point needs both");
  }

  @Test
  void detailsOperationAndPointersComeTogether() {
    assertThat(problems(RestConfigs.TICKETS.replace("response:\n",
        "  details: { method: GET, url: \"/tickets/{id}\" }\nresponse:\n")))
        .contains("response.details: is required with operations.details");
    assertThat(problems(RestConfigs.TICKETS.replace("  error_message: /message\n",
        "  error_message: /message\n  details: { description: /text }\n")))
        .contains("operations.details: is required with response.details");
    assertThat(problems(RestConfigs.CASES.replace("  details:\n    title: /title\n"
        + "    description: /description\n    latitude: /location/lat\n"
        + "    longitude: /location/lng\n    address: /location/address\n"
        + "    requested_at: /created_at\n", "  details: {}\n")))
        .contains("response.details: must point at one field at least");
  }

  @Test
  void toStringShowsNoSecret() {
    RestSettings cases =
        RestProvider.read("c", RestConfigs.settings(RestConfigs.CASES, BASE, "hunter2"));
    RestSettings tickets =
        RestProvider.read("t", RestConfigs.settings(RestConfigs.TICKETS, BASE, "hunter2"));

    assertThat(cases.toString() + tickets + Map.of()).doesNotContain("hunter2");
  }
}
