package org.civicsync.crm.rest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The two configurations of the REST adapter the tests use, written as an operator would write
 * them in the connector's YAML, for the two dialects of {@link FakeCaseApi}.
 */
final class RestConfigs {
  private RestConfigs() {}

  /** The CASES dialect: OAuth client credentials, next links, Idempotency-Key, ISO times. */
  static final String CASES = """
      base_url: ${base}/api/v2
      auth:
        type: oauth2_client_credentials
        token_url: ${base}/oauth/token
        client_id: civicsync-connector
        client_secret: ${secret}
        scope: cases.write
      operations:
        create:
          method: POST
          url: /cases
          body:
            external_ref: "{external_reference}"
            category: "{case_type}"
            title: "{title}"
            description: "{description}"
            location: { lat: "{latitude}", lng: "{longitude}", address: "{address}" }
            custom_fields: "{fields}"
            source: "CivicSync ({service_code})"
        find: { method: GET, url: "/cases?external_ref={external_reference}" }
        get: { method: GET, url: "/cases/{id}" }
        changes: { method: GET, url: "/cases?updated_since={since}&page_size={page_size}" }
        notes: { method: GET, url: "/cases/{id}/notes" }
        note: { method: POST, url: "/cases/{id}/notes", body: { body: "{note}", update_id: "{update_id}" } }
        status: { method: PATCH, url: "/cases/{id}", body: { status: "{status}" } }
        close: { method: PATCH, url: "/cases/{id}", body: { status: "{status}", resolution: "{close_reason}" } }
        details: { method: GET, url: "/cases/{id}?fields=title,description,location,created_at" }
      response:
        items: /data
        case: /data
        id: /id
        external_reference: /external_ref
        status: /status
        modified: /updated_at
        version: /version
        case_type: /category
        notes: /data
        note_text: /body
        note_update_id: /update_id
        error_message: /error/message
        details:
          title: /title
          description: /description
          latitude: /location/lat
          longitude: /location/lng
          address: /location/address
          requested_at: /created_at
      paging: { style: next_link, next: /links/next }
      modified_time: { format: iso_instant }
      idempotency: { style: header, header: Idempotency-Key, replayed_header: Idempotent-Replayed }
      closed_statuses: [resolved, closed]
      close_status: resolved
      read_timeout_seconds: 2
      """;

  /** The TICKETS dialect: an API key header, Link-header paging, lookup-then-create, epoch ms. */
  static final String TICKETS = """
      base_url: ${base}/v1
      auth: { type: api_key, header: X-Api-Key, key: "${secret}" }
      operations:
        create: { method: POST, url: /tickets, body: { reference: "{external_reference}", kind: "{case_type}", text: "{description}" } }
        find: { method: GET, url: "/tickets?reference={external_reference}" }
        get: { method: GET, url: "/tickets/{id}" }
        changes: { method: GET, url: "/tickets?changedSince={since}&limit={page_size}" }
        note: { method: POST, url: "/tickets/{id}/comments", body: { text: "{note}" } }
        status: { method: PUT, url: "/tickets/{id}/state", body: { state: "{status}" } }
      response:
        items: ""
        id: /ticketId
        external_reference: /reference
        status: /state
        modified: /lastModified
        case_type: /kind
        notes: /comments
        note_text: /text
        error_message: /message
      paging: { style: link_header }
      modified_time: { format: epoch_millis }
      idempotency: { style: lookup }
      closed_statuses: [DONE, REJECTED]
      close_status: DONE
      read_timeout_seconds: 2
      """;

  /** {@code yaml} with its base URL and secret filled in, as the settings map of a CRM. */
  static Map<String, Object> settings(String yaml, String baseUrl, String secret) {
    try {
      return new ObjectMapper(new YAMLFactory()).readValue(
          yaml.replace("${base}", baseUrl).replace("${secret}", secret),
          new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
