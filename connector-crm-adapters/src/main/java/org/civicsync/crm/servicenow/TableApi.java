package org.civicsync.crm.servicenow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * One call to the ServiceNow Table API, answered as its {@code result} or as a
 * {@link CrmException} of the right kind. ServiceNow documents its error body as
 * {@code {"error":{"message":"…","detail":"…"},"status":"failure"}}; the message (never the
 * request) goes into the exception.
 *
 * <p>The one repeat made here is after a 401 with OAuth: the token has expired, the request was
 * refused unread, so it is sent once more with a fresh token. Everything else is the engine's.
 */
final class TableApi {
  private static final MediaType JSON = MediaType.get("application/json");

  /** What the exception should name: the case id or the external reference. */
  interface Subject extends UnaryOperator<CrmException.Builder> {}

  private final String system;
  private final OkHttpClient http;
  private final ObjectMapper json;
  private final IntegrationUser user;

  TableApi(String system, OkHttpClient http, ObjectMapper json, IntegrationUser user) {
    this.system = system;
    this.http = http;
    this.json = json;
    this.user = user;
  }

  JsonNode get(HttpUrl url, CrmOperation operation, Subject subject) {
    return call(new Request.Builder().url(url).get(), false, operation, subject);
  }

  /** POST or PATCH: a write, so a lost answer is {@code OUTCOME_UNKNOWN}. */
  JsonNode write(String method, HttpUrl url, ObjectNode body, CrmOperation operation,
      Subject subject) {
    RequestBody requestBody = RequestBody.create(body.toString(), JSON);
    return call(new Request.Builder().url(url).method(method, requestBody), true, operation,
        subject);
  }

  private JsonNode call(Request.Builder request, boolean write, CrmOperation operation,
      Subject subject) {
    request.header("Accept", "application/json");
    String authorization = user.authorization(operation);
    Answer answer = send(request.header("Authorization", authorization).build(), write,
        operation, subject);
    if (answer.code() == 401 && user.refreshable()) {
      user.refused(authorization);
      answer = send(request.header("Authorization", user.authorization(operation)).build(),
          write, operation, subject);
    }
    if (answer.code() >= 200 && answer.code() < 300) {
      return answer.body().path("result");
    }
    throw refusal(answer, operation, subject);
  }

  private record Answer(int code, JsonNode body, Optional<String> retryAfter) {}

  private Answer send(Request request, boolean write, CrmOperation operation, Subject subject) {
    JsonCall.Reply reply = JsonCall.send(http, json, request, write, system, operation, subject,
        " (instance asleep or a proxy?)");
    return new Answer(reply.code(), reply.body(), reply.header("Retry-After"));
  }

  private CrmException refusal(Answer answer, CrmOperation operation, Subject subject) {
    int code = answer.code();
    JsonNode error = answer.body().path("error");
    String message = error.path("message").asText("");
    String detail = "HTTP " + code + (message.isBlank() ? "" : ": " + message);
    CrmException.Kind kind = HttpFailure.kindOf(code);
    CrmException.Builder b = CrmException.of(kind, system, operation);
    if (code == 401) {
      detail += " (the instance refused the integration user's credentials)";
    } else if (code == 403) {
      detail += " (the integration user lacks a role or ACL for this table)";
    } else if (kind == CrmException.Kind.TRANSIENT) {
      // ServiceNow sends Retry-After in seconds.
      HttpFailure.retryAfter(answer.retryAfter()).ifPresent(b::retryAfter);
    }
    return subject.apply(b).detail(detail).build();
  }
}
