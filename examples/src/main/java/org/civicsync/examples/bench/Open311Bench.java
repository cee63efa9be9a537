package org.civicsync.examples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.civicsync.core.model.W3cDateTime;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.crm.open311.Open311Crm;
import org.civicsync.crm.open311.Open311CrmSettings;
import org.civicsync.examples.bench.LoopbackHttp.Answer;
import org.civicsync.examples.bench.LoopbackHttp.Call;
import org.civicsync.open311.Format;
import org.civicsync.open311.codec.FormFields;

/**
 * The Open311 pass-through adapter against a loopback back office speaking GeoReport v2 in JSON
 * with mySociety's update extension: {@code GET requests.json?service_request_id=a,b,…} (the
 * adapter's batches of ids), {@code GET requests/{id}.json}, {@code GET
 * servicerequestupdates.json?start_date=&end_date=&api_key=} (every update whose
 * {@code updated_datetime} is in the window, inclusive; the extension has no paging), and
 * {@code POST servicerequestupdates.json} (form fields, {@code api_key} checked, deduped on
 * {@code update_id}, answering {@code [{"update_id":…}]}); errors as GeoReport's
 * {@code [{"code":…,"description":…}]}. Each seeded request carries one update, its
 * acknowledgement by the council, since the feed lists updates, not requests.
 */
final class Open311Bench implements BenchTarget {
  private static final String BASE = "/open311/v2/";
  private static final String API_KEY = "loopback-only";

  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, ObjectNode> requests = new HashMap<>();
  /** Updates by (updated_datetime epoch second, update_id): windows are range reads. */
  private final NavigableMap<String, ObjectNode> updates = new TreeMap<>();
  private final Map<String, ObjectNode> updatesById = new HashMap<>();
  private LoopbackHttp server;
  private Open311Crm adapter;

  @Override
  public String name() {
    return "open311";
  }

  @Override
  public String callUnit() {
    return "HTTP requests";
  }

  @Override
  public List<String> seed(int cases) throws IOException {
    Instant from = ServiceNowBench.SEEDED_FROM;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < cases; i++) {
      String id = Integer.toString(200_000 + i);
      // Ten a second: pages end inside runs of equal updated_datetime.
      String at = W3cDateTime.format(OffsetDateTime.ofInstant(from.plusSeconds(i / 10), ZoneOffset.UTC));
      requests.put(id, json.createObjectNode().put("service_request_id", id).put("status", "open")
          .put("service_code", "POT").put("service_name", "Potholes")
          .put("description", "Pothole reported").put("requested_datetime", at)
          .put("updated_datetime", at).put("lat", 51.4545).put("long", -2.5879));
      store(json.createObjectNode().put("update_id", "ack-" + id).put("service_request_id", id)
          .put("status", "IN_PROGRESS").put("description", "Report received; inspection booked.")
          .put("updated_datetime", at).put("service_code", "POT"));
      ids.add(id);
    }
    server = LoopbackHttp.start("open311-stub", this::answer);
    adapter = Open311Crm.create("bench-open311", new Open311CrmSettings(server.url() + BASE,
        Optional.of(API_KEY), Optional.empty(), Format.JSON, true, true, "civicsync_reference",
        Duration.ofDays(7), Duration.ofDays(30), Duration.ofSeconds(10), Duration.ofSeconds(60),
        Clock.systemUTC()));
    return ids;
  }

  @Override
  public CrmAdapter adapter() {
    return Objects.requireNonNull(adapter, "seed first");
  }

  @Override
  public long calls() {
    return server.requests();
  }

  @Override
  public synchronized long updatesLanded() {
    return updatesById.keySet().stream().filter(id -> id.startsWith("bench-")).count();
  }

  private synchronized Answer answer(Call call) {
    if (!call.path().startsWith(BASE) || !call.path().endsWith(".json")) {
      return error(404, "no such resource: " + call.path());
    }
    String resource = call.path().substring(BASE.length(), call.path().length() - ".json".length());
    if (resource.equals("requests") && call.method().equals("GET")) {
      String wanted = call.query().get("service_request_id");
      if (wanted == null) {
        return error(400, "the stub answers GET requests by service_request_id only");
      }
      ArrayNode found = json.createArrayNode();
      for (String id : wanted.split(",")) {
        Optional.ofNullable(requests.get(id.trim())).ifPresent(found::add);
      }
      return Answer.json(200, found.toString());
    }
    if (resource.startsWith("requests/") && call.method().equals("GET")) {
      ObjectNode r = requests.get(resource.substring("requests/".length()));
      return r == null ? error(404, "no service request " + resource.substring(9))
          : Answer.json(200, json.createArrayNode().add(r).toString());
    }
    if (resource.equals("servicerequestupdates")) {
      Map<String, String> fields = call.method().equals("POST")
          ? FormFields.parse(call.body()).firstValues() : call.query();
      if (!API_KEY.equals(fields.get("api_key"))) {
        return error(403, "api_key is missing or not valid");
      }
      return call.method().equals("POST") ? postUpdate(fields) : window(fields);
    }
    return error(404, "no such resource: " + call.path());
  }

  private Answer window(Map<String, String> query) {
    OffsetDateTime start;
    OffsetDateTime end;
    try {
      start = W3cDateTime.parse(query.get("start_date"));
      end = W3cDateTime.parse(query.get("end_date"));
    } catch (RuntimeException e) {
      return error(400, "start_date and end_date must be W3C date-times");
    }
    ArrayNode found = json.createArrayNode();
    updates.subMap(second(start.toInstant()), true, second(end.toInstant().plusSeconds(1)), false)
        .values().stream()
        .filter(u -> !instant(u).isBefore(start.toInstant()) && !instant(u).isAfter(end.toInstant()))
        .forEach(found::add);
    return Answer.json(200, found.toString());
  }

  private Answer postUpdate(Map<String, String> form) {
    ObjectNode request = requests.get(Objects.requireNonNullElse(form.get("service_request_id"), ""));
    if (request == null) {
      return error(404, "no service request " + form.get("service_request_id"));
    }
    String updateId = form.get("update_id");
    if (updateId == null || updateId.isBlank() || form.get("status") == null) {
      return error(400, "update_id and status are required");
    }
    if (!updatesById.containsKey(updateId)) {
      String at = Optional.ofNullable(form.get("updated_datetime"))
          .orElseGet(() -> W3cDateTime.format(OffsetDateTime.now(ZoneOffset.UTC)));
      store(json.createObjectNode().put("update_id", updateId)
          .put("service_request_id", form.get("service_request_id"))
          .put("status", form.get("status"))
          .put("description", Objects.requireNonNullElse(form.get("description"), ""))
          .put("updated_datetime", at).put("service_code", request.get("service_code").asText()));
      request.put("updated_datetime", at);
    }
    return Answer.json(200, json.createArrayNode().add(json.createObjectNode()
        .put("update_id", updateId)).toString());
  }

  private void store(ObjectNode update) {
    updates.put(second(instant(update)) + "|" + update.get("update_id").asText(), update);
    updatesById.put(update.get("update_id").asText(), update);
  }

  private static Instant instant(ObjectNode update) {
    return W3cDateTime.parse(update.get("updated_datetime").asText()).toInstant();
  }

  private static String second(Instant time) {
    return String.format("%012d", time.getEpochSecond());
  }

  private Answer error(int status, String description) {
    return Answer.json(status, json.createArrayNode().add(json.createObjectNode()
        .put("code", status).put("description", description)).toString());
  }

  @Override
  public void close() {
    if (adapter != null) {
      adapter.close();
    }
    if (server != null) {
      server.close();
    }
  }
}
