package org.civicsync.open311.codec;

import static org.civicsync.open311.codec.Tree.bool;
import static org.civicsync.open311.codec.Tree.dateTime;
import static org.civicsync.open311.codec.Tree.decimal;
import static org.civicsync.open311.codec.Tree.list;
import static org.civicsync.open311.codec.Tree.parsed;
import static org.civicsync.open311.codec.Tree.prose;
import static org.civicsync.open311.codec.Tree.required;
import static org.civicsync.open311.codec.Tree.text;
import static org.civicsync.open311.codec.Tree.texts;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.civicsync.core.model.AttributeValue;
import org.civicsync.core.model.Contact;
import org.civicsync.core.model.Coordinates;
import org.civicsync.core.model.Datatype;
import org.civicsync.core.model.Location;
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

/**
 * Turns GeoReport v2 documents, XML or JSON, into the canonical model.
 *
 * <p>Tolerant where the meaning is unambiguous, as real endpoints require: the root element's name
 * is ignored ({@code service_requests_updates} happens), lists may be bare or wrapped, numbers may be
 * strings and strings numbers, empty elements are absent, {@code group} or {@code groups/group}.
 * Strict where guessing would corrupt data: a date without a zone, an unknown status word or a
 * non-numeric coordinate is an {@link Open311FormatException} naming the item and field.
 */
public final class Open311Decoder {
  private static final Set<String> REQUEST_FIELDS = Set.of("service_request_id", "status",
      "status_notes", "service_name", "service_code", "description", "agency_responsible",
      "service_notice", "requested_datetime", "updated_datetime", "expected_datetime", "address",
      "address_id", "zipcode", "lat", "long", "media_url", "media_urls", "title", "non_public",
      "extras", "token", "requestor_name", "contact_name", "contact_email", "contact_phone",
      "email", "phone", "first_name", "last_name", "attributes", "attribute");
  /** A POST body's own fields, and the credentials that must never land in a report's extras. */
  private static final Set<String> REQUEST_BODY_FIELDS = union(REQUEST_FIELDS, Set.of(
      "address_string", "device_id", "deviceid", "account_id", "api_key", "jurisdiction_id"));
  private static final Set<String> UPDATE_FIELDS = Set.of("update_id", "service_request_id",
      "status", "description", "updated_datetime", "media_url", "media_urls",
      "external_status_code", "customer_reference", "fixmystreet_id", "extras", "email", "phone",
      "first_name", "last_name", "service_code");

  /** The names under which a JSON object may wrap a list of each item. */
  private static final Map<String, List<String>> WRAPPERS = Map.of(
      "service", List.of("services"),
      "request", List.of("service_requests", "requests"),
      "request_update", List.of("service_request_updates", "service_requests_updates",
          "request_updates", "updates"));

  private Open311Decoder() {}

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> out = new java.util.HashSet<>(a);
    out.addAll(b);
    return Set.copyOf(out);
  }

  /** True when the document is an Open311 error list rather than what was asked for. */
  public static boolean isErrorDocument(WireDocument doc) {
    JsonNode c = doc.content();
    if (doc.format() == Format.XML) {
      return doc.root().equals("errors") || doc.root().equals("error");
    }
    if (c.isObject() && c.has("errors")) {
      return true;
    }
    if (!c.isArray() || c.isEmpty()) {
      return false;
    }
    for (JsonNode item : c) {
      if (!item.isObject() || !item.has("description")) {
        return false;
      }
      for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!name.equals("code") && !name.equals("description")) {
          return false;
        }
      }
    }
    return true;
  }

  public static List<Open311Error> errors(WireDocument doc) {
    JsonNode c = doc.content();
    List<JsonNode> items;
    if (doc.format() == Format.XML) {
      items = doc.root().equals("error") ? List.of(c) : list(c, "error", null);
    } else {
      items = c.isObject() && c.has("errors") ? list(c, "errors", "error") : Tree.asList(c);
    }
    List<Open311Error> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      JsonNode e = items.get(i);
      String path = "error[" + i + "]";
      if (e.isValueNode()) {
        out.add(new Open311Error("", e.asText().strip()));
      } else {
        out.add(new Open311Error(text(e, "code", path).orElse(""),
            prose(e, "description", path).orElse("")));
      }
    }
    return out;
  }

  public static Discovery discovery(WireDocument doc, String what) {
    JsonNode c = doc.content();
    List<JsonNode> items = list(c, "endpoints", "endpoint");
    List<Discovery.Endpoint> endpoints = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      JsonNode e = items.get(i);
      String path = what + ": endpoint[" + i + "]";
      endpoints.add(new Discovery.Endpoint(required(e, "specification", path),
          required(e, "url", path), text(e, "changeset", path), text(e, "type", path),
          texts(e, "formats")));
    }
    String path = what + ": discovery";
    return new Discovery(text(c, "changeset", path), prose(c, "contact", path),
        prose(c, "key_service", path), endpoints);
  }

  public static List<Service> services(WireDocument doc, String what) {
    List<JsonNode> items = items(doc, "service", what);
    List<Service> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(service(items.get(i), what + ": service[" + i + "]"));
    }
    return out;
  }

  private static Service service(JsonNode s, String path) {
    List<String> groups = new ArrayList<>(texts(s, "groups"));
    text(s, "group", path).filter(g -> !groups.contains(g)).ifPresent(g -> groups.add(0, g));
    List<String> keywords = text(s, "keywords", path)
        .map(k -> Arrays.stream(k.split(",")).map(String::strip).filter(w -> !w.isEmpty()).toList())
        .orElse(List.of());
    return new Service(required(s, "service_code", path), required(s, "service_name", path),
        prose(s, "description", path), bool(s, "metadata", path, false),
        parsed(s, "type", path, ServiceType::parse).orElse(ServiceType.REALTIME), keywords, groups);
  }

  public static ServiceDefinition serviceDefinition(WireDocument doc, String what) {
    JsonNode c = doc.content();
    if (c.isArray() && c.size() == 1) {
      c = c.get(0);
    }
    String path = what + ": service_definition";
    List<JsonNode> items = list(c, "attributes", "attribute");
    List<ServiceAttribute> attributes = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      attributes.add(attribute(items.get(i), path + ".attribute[" + i + "]", i + 1));
    }
    return new ServiceDefinition(required(c, "service_code", path), attributes);
  }

  private static ServiceAttribute attribute(JsonNode a, String path, int position) {
    List<JsonNode> valueItems = list(a, "values", "value");
    List<AttributeValue> values = new ArrayList<>(valueItems.size());
    for (int i = 0; i < valueItems.size(); i++) {
      JsonNode v = valueItems.get(i);
      String vpath = path + ".value[" + i + "]";
      String key = required(v, "key", vpath);
      values.add(new AttributeValue(key, prose(v, "name", vpath).orElse(key)));
    }
    int order = parsed(a, "order", path, s -> {
      try {
        return new BigDecimal(s).intValueExact();
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a whole number: '" + s + "'");
      }
    }).orElse(position);
    return new ServiceAttribute(required(a, "code", path),
        parsed(a, "datatype", path, Datatype::parse).orElse(Datatype.STRING),
        prose(a, "datatype_description", path), prose(a, "description", path), order,
        bool(a, "required", path, false), bool(a, "variable", path, true), values,
        text(a, "automated", path));
  }

  public static CreatedRequest createdRequest(WireDocument doc, String what) {
    List<JsonNode> items = items(doc, "request", what);
    if (items.isEmpty()) {
      throw new Open311FormatException(what + ": the answer holds no request with a "
          + "service_request_id or token (an empty id is a failure, as FixMyStreet treats it)");
    }
    JsonNode r = items.get(0);
    String path = what + ": request[0]";
    Optional<String> id = text(r, "service_request_id", path);
    Optional<String> token = text(r, "token", path);
    if (id.isEmpty() && token.isEmpty()) {
      throw new Open311FormatException(path + ": neither service_request_id nor token "
          + "(an empty id is a failure, as FixMyStreet treats it)");
    }
    // The spec says never both; if an endpoint sends both the id is what the client wants.
    return new CreatedRequest(id, id.isPresent() ? Optional.empty() : token,
        prose(r, "service_notice", path), text(r, "account_id", path));
  }

  /** The {@code service_request_id} a token has become, if the endpoint has assigned one yet. */
  public static Optional<String> tokenResult(WireDocument doc, String what) {
    List<JsonNode> items = items(doc, "request", what);
    return items.isEmpty() ? Optional.empty()
        : text(items.get(0), "service_request_id", what + ": request[0]");
  }

  public static List<Report> requests(WireDocument doc, String what) {
    List<JsonNode> items = items(doc, "request", what);
    List<Report> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(report(items.get(i), what + ": request[" + i + "]"));
    }
    return out;
  }

  /**
   * Reads the body of a {@code POST requests} sent as JSON, as some servers accept (6aika's
   * Helsinki endpoint): one object, or an array of one. Fields are those of the form body
   * ({@code address_string}, {@code device_id} or {@code deviceid}, {@code account_id},
   * {@code attribute} as an object of code to value or list of values). {@code api_key} and
   * {@code jurisdiction_id} are not part of the report and are never kept in its extras.
   */
  public static Report requestBody(WireDocument doc, String what) {
    JsonNode c = doc.content();
    if (c.isArray() && c.size() == 1) {
      c = c.get(0);
    }
    String path = what + ": request";
    if (!c.isObject()) {
      throw new Open311FormatException(path + ": expected one JSON object of request fields, found "
          + (c.isArray() ? "a list of " + c.size() : c.getNodeType().name().toLowerCase(Locale.ROOT)));
    }
    JsonNode body = c;
    Report read = report(body, path, REQUEST_BODY_FIELDS);
    Report.Builder b = read.toBuilder();
    Optional<String> address = prose(body, "address_string", path).or(() -> read.location().address());
    b.location(read.location().withAddress(address.orElse(null)));
    b.contact(read.contact()
        .withDeviceId(text(body, "device_id", path).or(() -> text(body, "deviceid", path)).orElse(null))
        .withAccountId(text(body, "account_id", path).orElse(null)));
    for (String field : List.of("attribute", "attributes")) {
      JsonNode attributes = body.get(field);
      if (attributes != null && attributes.isObject()) {
        attributes.fieldNames().forEachRemaining(code ->
            texts(attributes, code).forEach(v -> b.attribute(code, v)));
      }
    }
    return b.build();
  }

  static Report report(JsonNode r, String path) {
    return report(r, path, REQUEST_FIELDS);
  }

  private static Report report(JsonNode r, String path, Set<String> known) {
    Report.Builder b = Report.builder()
        .id(text(r, "service_request_id", path).orElse(null))
        .serviceCode(text(r, "service_code", path).orElse(null))
        .serviceName(prose(r, "service_name", path).orElse(null))
        .status(parsed(r, "status", path, Status::parse).orElse(null))
        .statusNotes(prose(r, "status_notes", path).orElse(null))
        .title(prose(r, "title", path).orElse(null))
        .description(prose(r, "description", path).orElse(null))
        .agencyResponsible(prose(r, "agency_responsible", path).orElse(null))
        .serviceNotice(prose(r, "service_notice", path).orElse(null))
        .requested(dateTime(r, "requested_datetime", path).orElse(null))
        .updated(dateTime(r, "updated_datetime", path).orElse(null))
        .expected(dateTime(r, "expected_datetime", path).orElse(null))
        .nonPublic(bool(r, "non_public", path, false));
    Optional<BigDecimal> lat = decimal(r, "lat", path);
    Optional<BigDecimal> lon = decimal(r, "long", path);
    Location location = lat.isPresent() && lon.isPresent()
        ? Location.at(new Coordinates(lat.get(), lon.get())) : Location.NONE;
    b.location(location.withAddress(prose(r, "address", path).orElse(null))
        .withAddressId(text(r, "address_id", path).orElse(null))
        .withZipcode(text(r, "zipcode", path).orElse(null)));
    b.contact(contact(r, path));
    texts(r, "media_url").forEach(b::addMediaUrl);
    texts(r, "media_urls").forEach(b::addMediaUrl);
    extras(r, path, known).forEach(b::extra);
    return b.build();
  }

  private static Contact contact(JsonNode r, String path) {
    Optional<String> first = text(r, "first_name", path);
    Optional<String> last = text(r, "last_name", path);
    Optional<String> fullName = text(r, "requestor_name", path).or(() -> text(r, "contact_name", path));
    if (first.isEmpty() && last.isEmpty() && fullName.isPresent()) {
      String name = fullName.get();
      int space = name.lastIndexOf(' ');
      first = Optional.of(space < 0 ? name : name.substring(0, space));
      last = space < 0 ? Optional.empty() : Optional.of(name.substring(space + 1));
    }
    return Contact.of(first.orElse(null), last.orElse(null),
        text(r, "email", path).or(() -> text(r, "contact_email", path)).orElse(null),
        text(r, "phone", path).or(() -> text(r, "contact_phone", path)).orElse(null));
  }

  /** {@code extras{…}} plus every other scalar field we do not model, kept by name. */
  private static Map<String, String> extras(JsonNode item, String path, Set<String> known) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    JsonNode extras = item.get("extras");
    if (extras != null && extras.isObject()) {
      extras.fieldNames().forEachRemaining(name ->
          text(extras, name, path + ".extras").ifPresent(v -> out.put(name, v)));
    }
    item.fieldNames().forEachRemaining(name -> {
      JsonNode v = item.get(name);
      if (!known.contains(name) && v != null && v.isValueNode() && !v.isNull()) {
        String s = v.isBigDecimal() ? v.decimalValue().toPlainString() : v.asText().strip();
        if (!s.isEmpty()) {
          out.putIfAbsent(name, s);
        }
      }
    });
    return out;
  }

  public static List<ReportUpdate> updates(WireDocument doc, String what) {
    List<JsonNode> items = items(doc, "request_update", what);
    List<ReportUpdate> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(update(items.get(i), what + ": request_update[" + i + "]"));
    }
    return out;
  }

  static ReportUpdate update(JsonNode u, String path) {
    ReportUpdate.Builder b = ReportUpdate.builder()
        .updateId(text(u, "update_id", path).orElse(null))
        .serviceRequestId(text(u, "service_request_id", path).orElse(null))
        .status(parsed(u, "status", path, Status::parse).orElse(null))
        .description(prose(u, "description", path).orElse(null))
        .updated(dateTime(u, "updated_datetime", path).orElse(null))
        .externalStatusCode(text(u, "external_status_code", path).orElse(null))
        .customerReference(text(u, "customer_reference", path).orElse(null))
        .fixMyStreetId(text(u, "fixmystreet_id", path).orElse(null))
        .serviceCode(text(u, "service_code", path).orElse(null))
        .contact(Contact.of(text(u, "first_name", path).orElse(null),
            text(u, "last_name", path).orElse(null), text(u, "email", path).orElse(null),
            text(u, "phone", path).orElse(null)));
    texts(u, "media_url").forEach(b::addMediaUrl);
    texts(u, "media_urls").forEach(b::addMediaUrl);
    extras(u, path, UPDATE_FIELDS).forEach(b::extra);
    return b.build();
  }

  /** The {@code update_id} an endpoint gave a posted update; an empty one is a failure. */
  public static String postedUpdateId(WireDocument doc, String what) {
    List<JsonNode> items = items(doc, "request_update", what);
    if (items.isEmpty()) {
      throw new Open311FormatException(what + ": the answer holds no request_update");
    }
    return text(items.get(0), "update_id", what + ": request_update[0]").orElseThrow(() ->
        new Open311FormatException(what + ": request_update[0].update_id is empty "
            + "(FixMyStreet treats that as a failure)"));
  }

  /**
   * The items of a list document. XML: the root's children named {@code item} (or the root itself
   * when a single item arrives without its wrapper); the root's name is not checked, but a root
   * that holds something other than items is refused rather than read as an empty list. JSON: a
   * bare array, an object wrapping one ({@code {"service_requests":[…]}}), or a single object.
   */
  static List<JsonNode> items(WireDocument doc, String item, String what) {
    JsonNode c = doc.content();
    if (doc.format() == Format.XML) {
      if (doc.root().equals(item)) {
        return List.of(c);
      }
      if (c.isObject() && (c.isEmpty() || c.has(item))) {
        return list(c, item, null);
      }
      // An empty list must mean "nothing there": a services document read as empty makes a
      // client delete every category, so anything else under the root is an error.
      throw new Open311FormatException(what + ": expected <" + item + "> elements under <"
          + doc.root() + ">, found " + (c.isObject() ? "<" + String.join(">, <", names(c)) + ">"
          : "text '" + abbreviate(c.asText()) + "'"));
    }
    if (c.isArray()) {
      return Tree.asList(c);
    }
    if (c.isObject()) {
      if (c.has(item)) {
        return list(c, item, null);
      }
      List<String> arrays = new ArrayList<>();
      c.fields().forEachRemaining(f -> {
        if (f.getValue().isArray()) {
          arrays.add(f.getKey());
        }
      });
      if (arrays.size() == 1) {
        return Tree.asList(c.get(arrays.get(0)));
      }
      if (arrays.size() > 1) {
        // Several lists: take the one named as the spec's wrappers are, never guess.
        for (String wrapper : WRAPPERS.getOrDefault(item, List.of())) {
          if (arrays.contains(wrapper)) {
            return Tree.asList(c.get(wrapper));
          }
        }
        throw new Open311FormatException(what + ": an object holding several lists "
            + arrays + ", none of them named as a list of " + item + " is");
      }
      return c.isEmpty() ? List.of() : List.of(c);
    }
    return List.of();
  }

  private static List<String> names(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static String abbreviate(String text) {
    String s = text.strip().replaceAll("\\s+", " ");
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }
}
