package org.civicsync.crm.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.civicsync.crm.http.AdapterHttp;
import org.civicsync.core.model.Report;
import org.civicsync.core.spi.AppliedUpdate;
import org.civicsync.core.spi.CaseCreation;
import org.civicsync.core.spi.CaseDetails;
import org.civicsync.core.spi.CaseLookup;
import org.civicsync.core.spi.CaseUpdate;
import org.civicsync.core.spi.CaseUpdates;
import org.civicsync.core.spi.ChangeCursor;
import org.civicsync.core.spi.ChangeFeed;
import org.civicsync.core.spi.ChangePage;
import org.civicsync.core.spi.CreatedCase;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmCapability;
import org.civicsync.core.spi.CrmCase;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmNote;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.core.spi.NewCase;
import org.civicsync.crm.feed.KeysetPosition;

/**
 * An in-house CRM with a JSON API, driven entirely by {@link RestSettings}: URL templates,
 * JSON Pointers, status codes, paging style and auth style come from configuration.
 *
 * <p><b>Create</b> is made idempotent in one of two ways. A CRM that dedupes by a request header
 * ({@code Idempotency-Key}, as in the IETF httpapi draft and Stripe) gets the engine's key in it,
 * and says by {@code Idempotent-Replayed: true} that it answered an earlier create. Otherwise
 * the external reference is looked up first and the case posted only when none is there, as for
 * ServiceNow. Either way a 409 to a create is settled by the same lookup, as is a 2xx whose
 * body does not show the case (an empty 201 with a Location header); a lost answer is
 * {@code OUTCOME_UNKNOWN} for the engine to settle.
 *
 * <p><b>Updates</b> are applied once per update id: the case is read first; a status already in
 * place is not written again, and a note is looked for among the case's notes, by the CRM's
 * update-id field when it has one, else by a trailing {@code [civicsync:<updateId>]} in the text.
 * The version answered is read back from the case after writing, since a note's endpoint
 * usually answers the note, not the case.
 *
 * <p><b>Details</b>, for serve mode, only with a configured {@code details} operation (see
 * {@link #details}).
 */
public final class RestCrm
    implements CrmAdapter, CaseCreation, CaseLookup, ChangeFeed, CaseUpdates, CaseDetails {
  private final String name;
  private final RestSettings settings;
  private final OkHttpClient http;
  private final RestApi api;
  private final ChangeReader changes;

  private RestCrm(String name, RestSettings settings, OkHttpClient http, Clock clock) {
    this.name = name;
    this.settings = settings;
    this.http = http;
    ObjectMapper json = new ObjectMapper();
    this.api = new RestApi(name, http, json,
        new Credentials(name, settings.auth(), http, json, clock), settings.shape());
    this.changes = new ChangeReader(name, settings, api);
  }

  static RestCrm create(String name, RestSettings settings) {
    return create(name, settings, Clock.systemUTC());
  }

  /** An adapter named {@code name}; {@code clock} times the OAuth token's expiry. */
  static RestCrm create(String name, RestSettings settings, Clock clock) {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(settings, "settings == null");
    OkHttpClient http = AdapterHttp.builder(settings.connectTimeout(), settings.readTimeout())
        .followRedirects(false) // a redirect would carry the credentials elsewhere
        .build();
    return new RestCrm(name, settings, http, Objects.requireNonNull(clock, "clock == null"));
  }

  @Override
  public String name() {
    return name;
  }

  /** {@link CaseDetails} only when a {@code details} operation is configured. */
  @Override
  public <T extends CrmCapability> Optional<T> capability(Class<T> type) {
    Objects.requireNonNull(type, "type == null");
    if (type == CaseDetails.class && settings.operations().details().isEmpty()) {
      return Optional.empty();
    }
    return CrmAdapter.super.capability(type);
  }

  @Override
  public CreatedCase create(NewCase newCase) {
    Objects.requireNonNull(newCase, "newCase == null");
    String reference = newCase.externalReference();
    RestApi.Subject subject = b -> b.externalReference(reference);
    if (settings.idempotencyHeader().isEmpty()) {
      Optional<CrmCase> existing = findByExternalReference(reference);
      if (existing.isPresent()) {
        return new CreatedCase(existing.get().caseId(), existing.get().version(), true);
      }
    }
    Endpoint create = settings.operations().create();
    Map<String, String> headers = settings.idempotencyHeader()
        .map(h -> Map.of(h, newCase.idempotencyKey())).orElse(Map.of());
    RestApi.Answer answer = api.call(create.method(),
        create.url(settings.baseUrl(), Map.of("case_type", newCase.caseType())),
        Optional.of(create.body(values(newCase))), headers, Set.of(409),
        CrmOperation.CREATE_CASE, subject);
    if (answer.code() == 409) {
      // A duplicate reference, or the same key still in progress: the lookup tells which.
      return findByExternalReference(reference)
          .map(c -> new CreatedCase(c.caseId(), c.version(), true))
          .orElseThrow(() -> subject.apply(CrmException.of(CrmException.Kind.TRANSIENT, name,
              CrmOperation.CREATE_CASE)).detail(create + ": HTTP 409 and no case found yet")
              .build());
    }
    CrmCase created;
    try {
      created = settings.shape().single(answer.body());
    } catch (IllegalArgumentException e) {
      // Created, but the answer does not show the case (an empty 201 with a Location header):
      // find it rather than fail a create that happened.
      created = findByExternalReference(reference).orElseThrow(() -> subject.apply(
          CrmException.of(CrmException.Kind.OUTCOME_UNKNOWN, name, CrmOperation.CREATE_CASE))
          .detail(create + " answered HTTP " + answer.code() + " without a readable case ("
              + e.getMessage() + ") and the case is not found by its reference yet")
          .build());
    }
    boolean replayed = settings.idempotencyHeader().isPresent()
        && "true".equalsIgnoreCase(answer.headers().get(settings.replayedHeader()));
    return new CreatedCase(created.caseId(), created.version(), replayed);
  }

  @Override
  public Optional<CrmCase> findByExternalReference(String externalReference) {
    Objects.requireNonNull(externalReference, "externalReference == null");
    RestApi.Subject subject = b -> b.externalReference(externalReference);
    Endpoint find = settings.operations().find();
    RestApi.Answer answer = api.call(find.method(), find.url(settings.baseUrl(),
        Map.of("external_reference", externalReference)), Optional.empty(), Map.of(),
        Set.of(404), CrmOperation.FIND_CASE, subject);
    if (answer.code() == 404) {
      return Optional.empty();
    }
    List<JsonNode> items = reading(CrmOperation.FIND_CASE, subject, find,
        () -> settings.shape().cases(answer.body()));
    // A search may match loosely (prefix, case-insensitive): only an exact reference counts.
    for (JsonNode item : items) {
      CrmCase c = reading(CrmOperation.FIND_CASE, subject, find,
          () -> settings.shape().read(item));
      if (c.externalReference().filter(externalReference::equals).isPresent()) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /**
   * The case's particulars from the configured {@code details} operation, read with the
   * pointers of {@code response.details} (see {@link DetailFields}), which name no contact
   * field. A 404 is "no case". The URL is the operator's to limit to the fields needed (many
   * APIs take a {@code fields} parameter); nothing outside those pointers is read.
   */
  @Override
  public Optional<Report> details(String caseId) {
    Objects.requireNonNull(caseId, "caseId == null");
    RestApi.Subject subject = b -> b.caseId(caseId);
    Endpoint endpoint = settings.operations().details().orElseThrow(() -> subject.apply(
        CrmException.of(CrmException.Kind.PERMANENT, name, CrmOperation.FIND_CASE))
        .detail("no operations.details is configured").build());
    RestApi.Answer answer = api.call(endpoint.method(),
        endpoint.url(settings.baseUrl(), Map.of("id", caseId)), Optional.empty(), Map.of(),
        Set.of(404), CrmOperation.FIND_CASE, subject);
    if (answer.code() == 404) {
      return Optional.empty();
    }
    CaseShape shape = settings.shape();
    return Optional.of(reading(CrmOperation.FIND_CASE, subject, endpoint,
        () -> shape.details().orElseThrow().read(answer.body().at(shape.casePointer()),
            shape.modifiedTime())));
  }

  @Override
  public ChangePage changesSince(ChangeCursor cursor, int limit) {
    return changes.read(Objects.requireNonNull(cursor, "cursor == null"), limit);
  }

  @Override
  public ChangeCursor cursorAt(Instant time) {
    return ChangeReader.CURSOR.toCursor(
        KeysetPosition.from(Objects.requireNonNull(time, "time == null")));
  }

  @Override
  public AppliedUpdate apply(CaseUpdate update) {
    Objects.requireNonNull(update, "update == null");
    RestApi.Subject subject = b -> b.caseId(update.caseId());
    JsonNode body = get(update.caseId(), subject);
    CrmCase now = reading(CrmOperation.APPLY_UPDATE, subject, settings.operations().get(),
        () -> settings.shape().single(body));
    Optional<String> targetStatus = update.closes()
        ? Optional.of(update.statusCode().orElse(settings.closeStatus()))
        : update.statusCode();
    boolean statusInPlace = targetStatus.isEmpty() || targetStatus.get().equals(now.statusCode());
    boolean noteInPlace = update.note().isEmpty() || hasNote(update, body, subject);
    if (statusInPlace && noteInPlace) {
      return new AppliedUpdate(now.version(), true);
    }
    Map<String, JsonNode> values = new HashMap<>();
    JsonNodeFactory f = JsonNodeFactory.instance;
    values.put("id", f.textNode(update.caseId()));
    values.put("update_id", f.textNode(update.updateId()));
    update.closeReason().ifPresent(r ->
        values.put("close_reason", f.textNode(r.name().toLowerCase(Locale.ROOT))));
    if (!noteInPlace) {
      String text = update.note().get();
      values.put("note", f.textNode(settings.shape().noteUpdateId().isPresent() ? text
          : text + "\n" + marker(update.updateId())));
      write(settings.operations().note(), values, subject);
      values.remove("note");
    }
    if (!statusInPlace) {
      values.put("status", f.textNode(targetStatus.get()));
      write(update.closes() ? settings.operations().close().orElse(settings.operations().status())
          : settings.operations().status(), values, subject);
    }
    JsonNode after = get(update.caseId(), subject);
    return new AppliedUpdate(reading(CrmOperation.APPLY_UPDATE, subject,
        settings.operations().get(), () -> settings.shape().single(after)).version(), false);
  }

  private JsonNode get(String caseId, RestApi.Subject subject) {
    Endpoint get = settings.operations().get();
    return api.call(get.method(), get.url(settings.baseUrl(), Map.of("id", caseId)),
        Optional.empty(), Map.of(), Set.of(), CrmOperation.APPLY_UPDATE, subject).body();
  }

  private void write(Endpoint endpoint, Map<String, JsonNode> values, RestApi.Subject subject) {
    Map<String, String> inUrl = new HashMap<>();
    values.forEach((key, value) -> inUrl.put(key, value.asText()));
    api.call(endpoint.method(), endpoint.url(settings.baseUrl(), inUrl),
        Optional.of(endpoint.body(values)), Map.of(), Set.of(), CrmOperation.APPLY_UPDATE,
        subject);
  }

  private boolean hasNote(CaseUpdate update, JsonNode caseBody, RestApi.Subject subject) {
    Endpoint endpoint = settings.operations().notes().orElse(settings.operations().get());
    JsonNode body = settings.operations().notes().isPresent()
        ? api.call(endpoint.method(), endpoint.url(settings.baseUrl(),
            Map.of("id", update.caseId())), Optional.empty(), Map.of(), Set.of(),
            CrmOperation.APPLY_UPDATE, subject).body()
        : caseBody;
    List<CrmNote> notes = reading(CrmOperation.APPLY_UPDATE, subject, endpoint,
        () -> settings.shape().notesOf(body, Instant.EPOCH));
    String marker = marker(update.updateId());
    return notes.stream().anyMatch(n -> settings.shape().noteUpdateId().isPresent()
        ? n.updateId().filter(update.updateId()::equals).isPresent()
        : n.text().contains(marker));
  }

  static String marker(String updateId) {
    return "[civicsync:" + updateId + "]";
  }

  /** The values a create body template may name. */
  static Map<String, JsonNode> values(NewCase newCase) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    Report report = newCase.report();
    Map<String, JsonNode> values = new HashMap<>();
    values.put("external_reference", f.textNode(newCase.externalReference()));
    values.put("idempotency_key", f.textNode(newCase.idempotencyKey()));
    values.put("case_type", f.textNode(newCase.caseType()));
    report.serviceCode().ifPresent(v -> values.put("service_code", f.textNode(v)));
    report.serviceName().ifPresent(v -> values.put("service_name", f.textNode(v)));
    report.title().ifPresent(v -> values.put("title", f.textNode(v)));
    report.description().ifPresent(v -> values.put("description", f.textNode(v)));
    report.location().address().ifPresent(v -> values.put("address", f.textNode(v)));
    report.location().coordinates().ifPresent(c -> {
      values.put("latitude", f.numberNode(c.lat()));
      values.put("longitude", f.numberNode(c.lon()));
    });
    report.requested().ifPresent(t -> values.put("requested_at", f.textNode(t.toString())));
    report.contact().firstName().ifPresent(v -> values.put("first_name", f.textNode(v)));
    report.contact().lastName().ifPresent(v -> values.put("last_name", f.textNode(v)));
    report.contact().email().ifPresent(v -> values.put("email", f.textNode(v)));
    report.contact().phone().ifPresent(v -> values.put("phone", f.textNode(v)));
    ObjectNode fields = f.objectNode();
    newCase.fields().forEach((field, list) -> fields.put(field, String.join(",", list)));
    values.put("fields", fields);
    return values;
  }

  private <T> T reading(CrmOperation operation, RestApi.Subject subject, Endpoint endpoint,
      Supplier<T> reading) {
    try {
      return reading.get();
    } catch (IllegalArgumentException e) {
      throw subject.apply(CrmException.of(CrmException.Kind.PERMANENT, name, operation))
          .detail("unexpected answer to " + endpoint + ": " + e.getMessage()).build();
    }
  }

  @Override
  public void close() {
    AdapterHttp.release(http);
  }

  @Override
  public String toString() {
    return "RestCrm[" + name + ", " + settings.baseUrl() + ", auth=" + settings.auth() + "]";
  }
}
