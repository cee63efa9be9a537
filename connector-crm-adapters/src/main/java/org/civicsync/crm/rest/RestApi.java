package org.civicsync.crm.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.crm.http.HttpFailure;

/**
 * One call to the CRM's API, answered as its parsed JSON or as a {@link CrmException} of the
 * right kind: 401 and 403 {@code AUTHENTICATION} (after one repeat with a fresh OAuth token),
 * 404 {@code NOT_FOUND}, 408, 409, 429 and 5xx {@code TRANSIENT} (with the Retry-After), any
 * other 4xx {@code PERMANENT} quoting the CRM's message from the configured pointer; no answer to
 * a write is {@code OUTCOME_UNKNOWN}.
 *
 * <p>409 is transient because, in a CRM's API, it means the case changed under the request or a
 * create with the same idempotency key is still in progress: asking again later meets the
 * settled state. A create refused with 409 for a duplicate is settled by the caller first.
 */
final class RestApi {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final int MESSAGE_LIMIT = 200;

  /** What the exception should name: the case id or the external reference. */
  interface Subject extends UnaryOperator<CrmException.Builder> {}

  /** A 2xx answer (or one the caller asked to see). */
  record Answer(int code, JsonNode body, Headers headers) {}

  private final String system;
  private final OkHttpClient http;
  private final ObjectMapper json;
  private final Credentials credentials;
  private final CaseShape shape;

  RestApi(String system, OkHttpClient http, ObjectMapper json, Credentials credentials,
      CaseShape shape) {
    this.system = system;
    this.http = http;
    this.json = json;
    this.credentials = credentials;
    this.shape = shape;
  }

  /**
   * Sends {@code method url} with {@code body} (for a write) and {@code headers}.
   *
   * @param accepted non-2xx statuses answered rather than thrown (404 for a lookup)
   */
  Answer call(String method, HttpUrl url, Optional<JsonNode> body, Map<String, String> headers,
      Set<Integer> accepted, CrmOperation operation, Subject subject) {
    boolean write = !method.equals("GET");
    Request.Builder request = new Request.Builder().url(url)
        .method(method, write ? RequestBody.create(body.map(JsonNode::toString).orElse("{}"), JSON)
            : null)
        .header("Accept", "application/json");
    headers.forEach(request::header);
    Optional<String[]> credential = credentials.header(operation);
    Answer answer = send(authorised(request, credential), write, operation, subject);
    if (answer.code() == 401 && credentials.refreshable()) {
      // Refused unread: the token expired early or was revoked. One repeat with a fresh one.
      credentials.refused(credential);
      answer = send(authorised(request, credentials.header(operation)), write, operation, subject);
    }
    if (answer.code() >= 200 && answer.code() < 300 || accepted.contains(answer.code())) {
      return answer;
    }
    throw refusal(answer, method, url, operation, subject);
  }

  private static Request authorised(Request.Builder request, Optional<String[]> credential) {
    credential.ifPresent(h -> request.header(h[0], h[1]));
    return request.build();
  }

  private Answer send(Request request, boolean write, CrmOperation operation, Subject subject) {
    try (Response response = http.newCall(request).execute()) {
      String text = response.body() == null ? "" : response.body().string();
      return new Answer(response.code(), parse(text, response.code(), request, write, operation,
          subject), response.headers());
    } catch (IOException e) {
      throw subject.apply(CrmException.of(HttpFailure.noAnswer(e, write), system, operation))
          .detail(request.method() + " " + request.url().encodedPath() + ": no answer ("
              + e.getClass().getSimpleName() + ")")
          .cause(e).build();
    }
  }

  private JsonNode parse(String text, int code, Request request, boolean write,
      CrmOperation operation, Subject subject) {
    if (text.isBlank()) {
      return json.createObjectNode();
    }
    try {
      return json.readTree(text);
    } catch (IOException e) {
      if (code >= 200 && code < 300) {
        // A write that answered 2xx was applied, even if a proxy mangled the answer.
        throw subject.apply(CrmException.of(write ? CrmException.Kind.OUTCOME_UNKNOWN
                : CrmException.Kind.TRANSIENT, system, operation))
            .detail(request.method() + " " + request.url().encodedPath() + ": HTTP " + code
                + " with a body that is not JSON")
            .build();
      }
      return json.createObjectNode(); // an HTML error page from a proxy: the status says enough
    }
  }

  private CrmException refusal(Answer answer, String method, HttpUrl url, CrmOperation operation,
      Subject subject) {
    int code = answer.code();
    CrmException.Kind kind = code == 409 ? CrmException.Kind.TRANSIENT : HttpFailure.kindOf(code);
    String message = shape.errorMessageOf(answer.body())
        .map(m -> m.length() > MESSAGE_LIMIT ? m.substring(0, MESSAGE_LIMIT) + "..." : m)
        .orElse("");
    StringBuilder detail = new StringBuilder(method).append(' ').append(url.encodedPath())
        .append(": HTTP ").append(code);
    if (!message.isBlank()) {
      detail.append(": ").append(message);
    }
    if (kind == CrmException.Kind.AUTHENTICATION) {
      detail.append(code == 401 ? " (the CRM refused the credentials)"
          : " (the integration user may not do this)");
    }
    CrmException.Builder b = subject.apply(CrmException.of(kind, system, operation));
    if (kind == CrmException.Kind.TRANSIENT) {
      HttpFailure.retryAfter(Optional.ofNullable(answer.headers().get("Retry-After")))
          .ifPresent(b::retryAfter);
    }
    return b.detail(detail.toString()).build();
  }
}
