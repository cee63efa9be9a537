package org.civicsync.crm.rest;

import com.fasterxml.jackson.core.JsonPointer;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import okhttp3.HttpUrl;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmAdapterProvider;

/**
 * Makes {@link RestCrm}s for configuration type {@code rest}: an in-house CRM with a JSON API,
 * described entirely by its settings. Every bad value is reported, all at once, with its path
 * ({@code operations.find.url: ...}). The settings, with their defaults:
 *
 * <pre>
 * base_url: https://cases.council.example/api/v1
 * auth: { type: none | basic (user, password) | bearer (token) | api_key (header, key)
 *         | oauth2_client_credentials (token_url, client_id, client_secret, scope,
 *           client_auth: basic | form) }
 * operations:                 # method + URL relative to base_url; {placeholders} URL-encoded
 *   create:  { method: POST,  url: /cases, body: { ... "{description}" ... } }
 *   find:    { method: GET,   url: "/cases?external_ref={external_reference}" }
 *   get:     { method: GET,   url: "/cases/{id}" }
 *   changes: { method: GET,   url: "/cases?modified_since={since}&amp;limit={page_size}" }
 *   notes:   { method: GET,   url: "/cases/{id}/notes" }            # optional
 *   note:    { method: POST,  url: "/cases/{id}/notes", body: { text: "{note}" } }
 *   status:  { method: PATCH, url: "/cases/{id}", body: { status: "{status}" } }
 *   close:   { ... }                                               # optional; else status
 *   details: { method: GET,   url: "/cases/{id}?fields=title,location" } # optional, see below
 * response:                   # RFC 6901 JSON Pointers
 *   items: /data   case: ""   id: /id   external_reference: /external_ref   status: /status
 *   modified: /updated_at   version: /version   case_type: /category
 *   notes: /data   note_text: /text   note_update_id: /update_id   error_message: /error/message
 *   details:                  # with operations.details, relative to the case; all optional
 *     title: /title   description: /description   latitude: /location/lat
 *     longitude: /location/lng   address: /location/address   requested_at: /created_at
 *     media_url: /photo_url   non_public: /internal
 * paging: { style: none | next_link (next) | cursor (cursor, param) | offset (param)
 *           | link_header, max_pages: 20 }
 * modified_time: { format: iso_instant | epoch_millis | local (zone, pattern) }
 * idempotency: { style: lookup | header, header: Idempotency-Key,
 *                replayed_header: Idempotent-Replayed }
 * closed_statuses: [resolved, closed]   close_status: resolved
 * changes_overlap_seconds: 1   max_page_size: 200  # the largest {page_size} the CRM accepts
 * connect_timeout_seconds: 10  read_timeout_seconds: 30
 * </pre>
 */
public final class RestProvider implements CrmAdapterProvider {
  public static final String TYPE = "rest";

  private static final Set<String> KEYS = Set.of("base_url", "auth", "operations", "response",
      "paging", "modified_time", "idempotency", "closed_statuses", "close_status",
      "changes_overlap_seconds", "max_page_size", "connect_timeout_seconds",
      "read_timeout_seconds");
  private static final Set<String> CREATE_VALUES = Set.of("external_reference",
      "idempotency_key", "case_type", "service_code", "service_name", "title", "description",
      "address", "latitude", "longitude", "requested_at", "fields", "first_name", "last_name",
      "email", "phone");
  private static final Set<String> UPDATE_VALUES =
      Set.of("id", "update_id", "note", "status", "close_reason");

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Optional<CrmAdapter> create(String name, Map<String, ?> values) {
    return Optional.of(RestCrm.create(name, read(name, values)));
  }

  /**
   * The settings in {@code values}.
   *
   * @throws IllegalArgumentException naming adapter {@code name} and the path of every bad value
   */
  static RestSettings read(String name, Map<String, ?> values) {
    SettingTree root = SettingTree.root(values).allowOnly(KEYS);
    Optional<HttpUrl> baseUrl = root.requiredText("base_url", "the API's root URL")
        .flatMap(u -> url(root, "base_url", u));
    Optional<RestAuth> auth = root.requiredSection("auth", "type none, basic, bearer, api_key"
        + " or oauth2_client_credentials").flatMap(RestProvider::auth);
    Optional<RestSettings.Operations> operations = root.requiredSection("operations",
        "create, find, get, changes, note and status").flatMap(RestProvider::operations);
    Optional<ModifiedTime> time = root.section("modified_time")
        .map(RestProvider::modifiedTime).orElse(Optional.of(new ModifiedTime.IsoInstant()));
    Optional<List<String>> closed = root.list("closed_statuses");
    if (closed.isPresent() && closed.get().isEmpty()) {
      root.problem("closed_statuses", "must name at least one status");
    } else if (closed.isEmpty() && !root.has("closed_statuses")) {
      root.problem("closed_statuses", "is required: the status codes the CRM counts as closed");
    }
    Optional<String> closeStatus = root.requiredText("close_status",
        "the status a close sets when the mapping gives none");
    Optional<CaseShape> shape = root.requiredSection("response", "JSON Pointers to the fields")
        .flatMap(r -> shape(r, time, closed));
    Optional<Paging> paging = root.section("paging").map(RestProvider::paging)
        .orElse(Optional.of(Paging.none()));
    Optional<SettingTree> idempotency = root.section("idempotency")
        .map(s -> s.allowOnly(Set.of("style", "header", "replayed_header")));
    Optional<String> idempotencyStyle = idempotency.flatMap(s ->
        s.choice("style", Set.of("lookup", "header"), Optional.of("lookup")));
    Optional<String> header = idempotency.flatMap(s -> s.text("header"))
        .or(() -> Optional.of("Idempotency-Key"));
    String replayed = idempotency.flatMap(s -> s.text("replayed_header"))
        .orElse("Idempotent-Replayed");
    header.ifPresent(h -> headerName(idempotency.orElse(root), "header", h));
    Duration overlap = root.seconds("changes_overlap_seconds", true).orElse(Duration.ofSeconds(1));
    int maxPageSize = root.positiveInt("max_page_size").orElse(200);
    Duration connect = root.seconds("connect_timeout_seconds", false).orElse(Duration.ofSeconds(10));
    Duration read = root.seconds("read_timeout_seconds", false).orElse(Duration.ofSeconds(30));
    if (operations.isPresent() && shape.isPresent()
        && operations.get().details().isPresent() != shape.get().details().isPresent()) {
      if (operations.get().details().isPresent()) {
        root.problem("response.details", "is required with operations.details: the JSON"
            + " Pointers to the case's title, description, latitude, longitude, address, ...");
      } else {
        root.problem("operations.details", "is required with response.details: the method"
            + " and url that read one case, e.g. { method: GET, url: \"/cases/{id}\" }");
      }
    }
    if (operations.isPresent() && shape.isPresent()
        && shape.get().noteUpdateId().isPresent()
        && !operations.get().note().bodyPlaceholders().contains("update_id")) {
      root.problem("operations.note.body",
          "must send \"{update_id}\": response.note_update_id reads it back");
    }
    root.check(name);
    return new RestSettings(baseUrl.orElseThrow(), auth.orElseThrow(), operations.orElseThrow(),
        shape.orElseThrow(), paging.orElseThrow(), closeStatus.orElseThrow(),
        idempotencyStyle.orElse("lookup").equals("header") ? header : Optional.empty(),
        replayed, overlap, maxPageSize, connect, read);
  }

  private static Optional<RestAuth> auth(SettingTree s) {
    Optional<String> type = s.choice("type", RestAuth.TYPES, Optional.empty());
    if (type.isEmpty()) {
      return Optional.empty();
    }
    return switch (type.get()) {
      case "none" -> {
        s.allowOnly(Set.of("type"));
        yield Optional.of(new RestAuth.None());
      }
      case "basic" -> {
        s.allowOnly(Set.of("type", "user", "password"));
        Optional<String> user = s.requiredText("user", "the integration user's name");
        Optional<String> password = s.requiredText("password", "a ${env:...} reference");
        yield user.isPresent() && password.isPresent()
            ? Optional.of(new RestAuth.Basic(user.get(), password.get())) : Optional.empty();
      }
      case "bearer" -> {
        s.allowOnly(Set.of("type", "token"));
        yield s.requiredText("token", "a ${env:...} reference").map(RestAuth.Bearer::new);
      }
      case "api_key" -> {
        s.allowOnly(Set.of("type", "header", "key"));
        Optional<String> header = s.requiredText("header", "the header name, e.g. X-API-Key")
            .filter(h -> headerName(s, "header", h));
        Optional<String> key = s.requiredText("key", "a ${env:...} reference");
        yield header.isPresent() && key.isPresent()
            ? Optional.of(new RestAuth.ApiKey(header.get(), key.get())) : Optional.empty();
      }
      default -> {
        s.allowOnly(Set.of("type", "token_url", "client_id", "client_secret", "scope",
            "client_auth"));
        Optional<HttpUrl> tokenUrl = s.requiredText("token_url", "the OAuth token endpoint")
            .flatMap(u -> url(s, "token_url", u));
        Optional<String> id = s.requiredText("client_id", "the OAuth client id");
        Optional<String> secret = s.requiredText("client_secret", "a ${env:...} reference");
        Optional<String> clientAuth =
            s.choice("client_auth", Set.of("basic", "form"), Optional.of("basic"));
        yield tokenUrl.isPresent() && id.isPresent() && secret.isPresent() && clientAuth.isPresent()
            ? Optional.of(new RestAuth.ClientCredentials(tokenUrl.get(), id.get(), secret.get(),
                s.text("scope"), clientAuth.get().equals("form")))
            : Optional.empty();
      }
    };
  }

  private static Optional<RestSettings.Operations> operations(SettingTree s) {
    s.allowOnly(Set.of("create", "find", "get", "changes", "notes", "note", "status", "close",
        "details"));
    Optional<Endpoint> create = endpoint(s, "create", true, Set.of("case_type"), Set.of(),
        CREATE_VALUES);
    Optional<Endpoint> find = endpoint(s, "find", true, Set.of("external_reference"),
        Set.of("external_reference"), Set.of());
    Optional<Endpoint> get = endpoint(s, "get", true, Set.of("id"), Set.of("id"), Set.of());
    Optional<Endpoint> changes = endpoint(s, "changes", true, Set.of("since", "page_size"),
        Set.of("since"), Set.of());
    Optional<Endpoint> notes = endpoint(s, "notes", false, Set.of("id"), Set.of("id"), Set.of());
    Optional<Endpoint> note = endpoint(s, "note", true, Set.of("id"), Set.of("id"), UPDATE_VALUES);
    note.filter(n -> !n.bodyPlaceholders().contains("note")).ifPresent(n ->
        s.problem("note.body", "must place the note's text somewhere: \"{note}\""));
    Optional<Endpoint> status =
        endpoint(s, "status", true, Set.of("id", "status"), Set.of("id"), UPDATE_VALUES);
    Optional<Endpoint> close =
        endpoint(s, "close", false, Set.of("id", "status"), Set.of("id"), UPDATE_VALUES);
    Optional<Endpoint> details =
        endpoint(s, "details", false, Set.of("id"), Set.of("id"), Set.of());
    details.filter(Endpoint::writes).ifPresent(d ->
        s.problem("details.method", "must be GET: it only reads"));
    create.filter(c -> c.body().isEmpty()).ifPresent(c ->
        s.problem("create.body", "is required: the JSON of a new case, e.g."
            + " { title: \"{title}\", ref: \"{external_reference}\" }"));
    for (var e : List.of(Map.entry("status", status), Map.entry("close", close))) {
      e.getValue().filter(op -> !op.bodyPlaceholders().contains("status")
          && !op.urlPlaceholders().contains("status")).ifPresent(op ->
          s.problem(e.getKey() + ".body", "must place the new status somewhere: \"{status}\""));
    }
    for (var e : List.of(Map.entry("note", note), Map.entry("status", status),
        Map.entry("close", close))) {
      e.getValue().filter(op -> !op.writes()).ifPresent(op ->
          s.problem(e.getKey() + ".method", "must be POST, PUT or PATCH: it writes"));
    }
    if (create.isEmpty() || find.isEmpty() || get.isEmpty() || changes.isEmpty()
        || note.isEmpty() || status.isEmpty() || (s.has("close") && close.isEmpty())
        || (s.has("notes") && notes.isEmpty()) || (s.has("details") && details.isEmpty())) {
      return Optional.empty();
    }
    return Optional.of(new RestSettings.Operations(create.get(), find.get(), get.get(),
        changes.get(), note.get(), status.get(), close, notes, details));
  }

  private static Optional<Endpoint> endpoint(SettingTree parent, String key, boolean required,
      Set<String> urlValues, Set<String> urlRequired, Set<String> bodyValues) {
    Optional<SettingTree> section = required
        ? parent.requiredSection(key, "a method and a url") : parent.section(key);
    if (section.isEmpty()) {
      return Optional.empty();
    }
    SettingTree s = section.get().allowOnly(Set.of("method", "url", "body"));
    Optional<String> method = s.requiredText("method", "GET, POST, PUT or PATCH")
        .map(m -> m.toUpperCase(Locale.ROOT));
    if (method.isPresent() && !Endpoint.METHODS.contains(method.get())) {
      s.problem("method", "must be one of " + new TreeSet<>(Endpoint.METHODS) + ", not '"
          + method.get() + "'");
      method = Optional.empty();
    }
    Optional<String> url = s.requiredText("url", "a path relative to base_url, e.g. /cases");
    url.ifPresent(u -> {
      if (!u.startsWith("/")) {
        s.problem("url", "must start with / (it is relative to base_url), not '" + u + "'");
      }
      if (u.contains("#")) {
        s.problem("url", "must not have a fragment (#): '" + u + "'");
      }
      Set<String> used = Endpoint.placeholders(u);
      unknown(s, "url", used, urlValues);
      Set<String> missing = new TreeSet<>(urlRequired);
      missing.removeAll(used);
      if (!missing.isEmpty()) {
        s.problem("url", "must name " + braces(missing) + ": '" + u + "'");
      }
    });
    Optional<Endpoint> endpoint = Optional.empty();
    if (s.has("body") && bodyValues.isEmpty()) {
      s.problem("body", "is not used by this operation");
    }
    var body = bodyValues.isEmpty() ? Optional.<com.fasterxml.jackson.databind.JsonNode>empty()
        : s.object("body");
    body.ifPresent(b -> unknown(s, "body", Endpoint.placeholders(b), bodyValues));
    if (method.isPresent() && url.isPresent()) {
      if (method.get().equals("GET") && body.isPresent()) {
        s.problem("body", "a GET has no body");
      }
      endpoint = Optional.of(new Endpoint(method.get(), url.get(), body));
    }
    return endpoint;
  }

  private static void unknown(SettingTree s, String key, Set<String> used, Set<String> known) {
    Set<String> wrong = new TreeSet<>(used);
    wrong.removeAll(known);
    if (!wrong.isEmpty()) {
      s.problem(key, "unknown placeholder " + braces(wrong) + ": this operation knows "
          + (known.isEmpty() ? "none" : braces(new TreeSet<>(known))));
    }
  }

  private static String braces(Set<String> names) {
    Set<String> out = new LinkedHashSet<>();
    names.forEach(n -> out.add("{" + n + "}"));
    return String.join(", ", out);
  }

  private static Optional<CaseShape> shape(SettingTree s, Optional<ModifiedTime> time,
      Optional<List<String>> closed) {
    s.allowOnly(Set.of("items", "case", "id", "external_reference", "status", "modified",
        "version", "case_type", "notes", "note_text", "note_update_id", "error_message",
        "details"));
    Optional<JsonPointer> items = s.requiredPointer("items", "the array of cases in a list");
    Optional<JsonPointer> single = s.has("case") ? s.pointer("case")
        : Optional.of(JsonPointer.empty());
    Optional<JsonPointer> id = s.requiredPointer("id", "the case id");
    Optional<JsonPointer> ref = s.requiredPointer("external_reference",
        "the external reference");
    Optional<JsonPointer> status = s.requiredPointer("status", "the status code");
    Optional<JsonPointer> modified = s.requiredPointer("modified", "the modified time");
    Optional<JsonPointer> notes = s.requiredPointer("notes", "the array of a case's notes");
    Optional<JsonPointer> noteText = s.requiredPointer("note_text", "a note's text");
    Optional<JsonPointer> version = s.pointer("version");
    Optional<JsonPointer> caseType = s.pointer("case_type");
    Optional<JsonPointer> noteUpdateId = s.pointer("note_update_id");
    Optional<JsonPointer> error = s.pointer("error_message");
    Optional<DetailFields> details = s.section("details").flatMap(d -> detailFields(s, d));
    if (items.isEmpty() || single.isEmpty() || id.isEmpty() || ref.isEmpty() || status.isEmpty()
        || modified.isEmpty() || notes.isEmpty() || noteText.isEmpty() || time.isEmpty()
        || closed.isEmpty() || (s.has("version") && version.isEmpty())
        || (s.has("case_type") && caseType.isEmpty())
        || (s.has("note_update_id") && noteUpdateId.isEmpty())
        || (s.has("error_message") && error.isEmpty())
        || (s.has("details") && details.isEmpty())) {
      return Optional.empty();
    }
    return Optional.of(new CaseShape(items.get(), single.get(), id.get(), ref.get(), status.get(),
        modified.get(), version, caseType, notes.get(), noteText.get(), noteUpdateId, error,
        time.get(), Set.copyOf(closed.get()), details));
  }

  /** {@code response.details}: each pointer optional, but a point needs both coordinates. */
  private static Optional<DetailFields> detailFields(SettingTree parent, SettingTree s) {
    List<String> keys = List.of("title", "description", "latitude", "longitude", "address",
        "requested_at", "media_url", "non_public");
    s.allowOnly(Set.copyOf(keys));
    Map<String, Optional<JsonPointer>> pointers = new HashMap<>();
    boolean bad = false;
    for (String key : keys) {
      pointers.put(key, s.pointer(key));
      bad |= s.has(key) && pointers.get(key).isEmpty();
    }
    for (var pair : List.of(List.of("latitude", "longitude"), List.of("longitude", "latitude"))) {
      if (s.has(pair.get(0)) && !s.has(pair.get(1))) {
        s.problem(pair.get(1), "is required with " + pair.get(0) + ": a point needs both");
        bad = true;
      }
    }
    if (keys.stream().noneMatch(s::has)) {
      parent.problem("details", "must point at one field at least, e.g. description: /description");
      bad = true;
    }
    return bad ? Optional.empty() : Optional.of(new DetailFields(pointers.get("title"),
        pointers.get("description"), pointers.get("latitude"), pointers.get("longitude"),
        pointers.get("address"), pointers.get("requested_at"), pointers.get("media_url"),
        pointers.get("non_public")));
  }

  private static Optional<Paging> paging(SettingTree s) {
    s.allowOnly(Set.of("style", "next", "cursor", "param", "max_pages"));
    Optional<String> style = s.choice("style", Paging.STYLES, Optional.empty());
    int maxPages = s.positiveInt("max_pages").orElse(20);
    if (style.isEmpty()) {
      return Optional.empty();
    }
    Optional<JsonPointer> pointer = Optional.empty();
    Optional<String> param = Optional.empty();
    switch (style.get()) {
      case "next_link" -> pointer = s.requiredPointer("next", "the next page's URL");
      case "cursor" -> {
        pointer = s.requiredPointer("cursor", "the next page's cursor token");
        param = s.requiredText("param", "the query parameter the cursor goes back in");
      }
      case "offset" -> param = s.text("param").or(() -> Optional.of("offset"));
      default -> { }
    }
    for (String key : List.of("next", "cursor", "param")) {
      boolean used = key.equals("next") ? style.get().equals("next_link")
          : key.equals("cursor") ? style.get().equals("cursor")
          : style.get().equals("cursor") || style.get().equals("offset");
      if (s.has(key) && !used) {
        s.problem(key, "is not used by paging style " + style.get());
      }
    }
    try {
      return Optional.of(new Paging(style.get(), pointer, param, maxPages));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // the missing part is already reported with its path
    }
  }

  private static Optional<ModifiedTime> modifiedTime(SettingTree s) {
    s.allowOnly(Set.of("format", "zone", "pattern"));
    Optional<String> format = s.choice("format", ModifiedTime.FORMATS, Optional.empty());
    if (format.isEmpty()) {
      return Optional.empty();
    }
    if (!format.get().equals("local")) {
      for (String key : List.of("zone", "pattern")) {
        if (s.has(key)) {
          s.problem(key, "is only for format local");
        }
      }
      return Optional.of(format.get().equals("iso_instant")
          ? new ModifiedTime.IsoInstant() : new ModifiedTime.EpochMillis());
    }
    Optional<ZoneId> zone = s.requiredText("zone", "the CRM's time zone, e.g. Europe/London")
        .flatMap(z -> {
          try {
            return Optional.of(ZoneId.of(z));
          } catch (DateTimeException e) {
            s.problem("zone", "is not a time zone: '" + z + "'");
            return Optional.empty();
          }
        });
    String pattern = s.text("pattern").orElse("yyyy-MM-dd'T'HH:mm:ss");
    try {
      return zone.map(z -> new ModifiedTime.Local(z, pattern));
    } catch (IllegalArgumentException e) {
      s.problem("pattern", "is not a date-time pattern: " + e.getMessage());
      return Optional.empty();
    }
  }

  private static Optional<HttpUrl> url(SettingTree s, String key, String value) {
    HttpUrl url = HttpUrl.parse(value);
    if (url == null) {
      s.problem(key, "must be an http:// or https:// URL, not '" + value + "'");
      return Optional.empty();
    }
    if (url.query() != null || url.fragment() != null) {
      s.problem(key, "must have no query or fragment: '" + value + "'");
      return Optional.empty();
    }
    return Optional.of(url);
  }

  private static boolean headerName(SettingTree s, String key, String value) {
    if (!value.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
      s.problem(key, "is not an HTTP header name: '" + value + "'");
      return false;
    }
    return true;
  }
}
