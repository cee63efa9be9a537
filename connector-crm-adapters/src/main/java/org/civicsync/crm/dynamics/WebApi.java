package org.civicsync.crm.dynamics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.crm.http.HttpFailure;
import org.civicsync.crm.http.JsonCall;

/**
 * One call to the Dataverse Web API (OData v4), answered with its status and JSON body. Every
 * request carries {@code OData-MaxVersion: 4.0}, {@code OData-Version: 4.0} and
 * {@code Accept: application/json}, as the Web API documents for every request.
 *
 * <p>Dataverse documents its error body as {@code {"error":{"code":"0x…","message":"…"}}}; the
 * code and message go into the exception, never the request. Service protection limits answer
 * 429 with {@code Retry-After} in seconds.
 *
 * <p>The one repeat made here is after a 401: the token was refused unread, so the request is
 * sent once more with a fresh one. Everything else is the engine's.
 */
final class WebApi {
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final int MAX_MESSAGE = 200;

  /** What the exception should name: the case id or the external reference. */
  interface Subject extends UnaryOperator<CrmException.Builder> {}

  /** A status, a body (empty object when there was none) and the Retry-After header. */
  record Answer(int code, JsonNode body, Optional<String> retryAfter) {
    boolean ok() {
      return code >= 200 && code < 300;
    }

    /** The Dataverse error code, e.g. {@code 0x80040217}, or empty. */
    String errorCode() {
      return body.path("error").path("code").asText("");
    }
  }

  private final String system;
  private final OkHttpClient http;
  private final ObjectMapper json;
  private final EntraToken token;

  WebApi(String system, OkHttpClient http, ObjectMapper json, EntraToken token) {
    this.system = system;
    this.http = http;
    this.json = json;
    this.token = token;
  }

  /** A GET; {@code headers} such as {@code Prefer: odata.maxpagesize=…}. */
  Answer get(HttpUrl url, Map<String, String> headers, CrmOperation operation, Subject subject) {
    return call(url, "GET", null, headers, false, operation, subject);
  }

  /** A POST or PATCH: a write, so a lost answer is {@code OUTCOME_UNKNOWN}. */
  Answer write(String method, HttpUrl url, ObjectNode body, Map<String, String> headers,
      CrmOperation operation, Subject subject) {
    return call(url, method, body, headers, true, operation, subject);
  }

  private Answer call(HttpUrl url, String method, ObjectNode body, Map<String, String> headers,
      boolean write, CrmOperation operation, Subject subject) {
    Request.Builder request = new Request.Builder().url(url)
        .method(method, body == null ? null : RequestBody.create(body.toString(), JSON))
        .header("Accept", "application/json")
        .header("OData-MaxVersion", "4.0")
        .header("OData-Version", "4.0");
    headers.forEach(request::header);
    String authorization = token.bearer(operation);
    Answer answer = send(request.header("Authorization", authorization).build(), write,
        operation, subject);
    if (answer.code() == 401) {
      token.refused(authorization);
      answer = send(request.header("Authorization", token.bearer(operation)).build(), write,
          operation, subject);
    }
    return answer;
  }

  /** {@code answer} when it is a success, else its failure thrown. */
  Answer ok(Answer answer, CrmOperation operation, Subject subject) {
    if (answer.ok()) {
      return answer;
    }
    throw refusal(answer, operation, subject);
  }

  private Answer send(Request request, boolean write, CrmOperation operation, Subject subject) {
    JsonCall.Reply reply =
        JsonCall.send(http, json, request, write, system, operation, subject, "");
    return new Answer(reply.code(), reply.body(), reply.header("Retry-After"));
  }

  /** The failure for a refused call, kind by status (see {@link HttpFailure#kindOf}). */
  CrmException refusal(Answer answer, CrmOperation operation, Subject subject) {
    int code = answer.code();
    String errorCode = answer.errorCode();
    String message = answer.body().path("error").path("message").asText("");
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE) + "…";
    }
    String detail = "HTTP " + code + (errorCode.isEmpty() ? "" : " " + errorCode)
        + (message.isEmpty() ? "" : ": " + message);
    CrmException.Kind kind = HttpFailure.kindOf(code);
    CrmException.Builder b = CrmException.of(kind, system, operation);
    if (code == 401) {
      detail += " (a fresh token was refused too: is the app an application user of the"
          + " environment?)";
    } else if (code == 403) {
      detail += " (the application user lacks a security role privilege on incident or"
          + " annotation)";
    } else if (kind == CrmException.Kind.TRANSIENT) {
      HttpFailure.retryAfter(answer.retryAfter()).ifPresent(b::retryAfter);
    }
    return subject.apply(b).detail(detail).build();
  }
}
