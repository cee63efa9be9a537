package org.civicsync.crm.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
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
 * One call to the Salesforce REST API, answered with its status and JSON body, or as a
 * {@link CrmException} of the right kind. Salesforce documents its error body as
 * {@code [{"message":"…","errorCode":"…","fields":[…]}]}; the error code and message go into the
 * exception, never the request.
 *
 * <p>The one repeat made here is after a 401 ({@code INVALID_SESSION_ID}): the token has expired
 * or was revoked, the request was refused unread, so it is sent once more with a fresh token.
 */
final class RestApi {
  private static final MediaType JSON = MediaType.get("application/json");
  /** Row-lock contention and similar: documented as retryable though they come as 4xx. */
  private static final Set<String> TRANSIENT_CODES = Set.of("UNABLE_TO_LOCK_ROW",
      "REQUEST_LIMIT_EXCEEDED", "SERVER_UNAVAILABLE", "REQUEST_RUNNING_TOO_LONG");

  /** What the exception should name: the case id or the external reference. */
  interface Subject extends UnaryOperator<CrmException.Builder> {}

  record Answer(int code, JsonNode body) {}

  private final String system;
  private final SalesforceSettings settings;
  private final OkHttpClient http;
  private final ObjectMapper json;
  private final AccessToken token;
  private final ApiQuota quota;

  RestApi(String system, SalesforceSettings settings, OkHttpClient http, ObjectMapper json,
      AccessToken token, ApiQuota quota) {
    this.system = system;
    this.settings = settings;
    this.http = http;
    this.json = json;
    this.token = token;
    this.quota = quota;
  }

  /** A GET. */
  Answer get(HttpUrl url, CrmOperation operation, Subject subject) {
    return call(new Request.Builder().url(url).get(), false, operation, subject);
  }

  /** A SOQL query's first batch, with the configured batch size. */
  Answer query(String soql, CrmOperation operation, Subject subject) {
    HttpUrl url = settings.data().addPathSegment("query").addQueryParameter("q", soql).build();
    return call(new Request.Builder().url(url).get()
        .header("Sforce-Query-Options", "batchSize=" + settings.queryBatchSize()),
        false, operation, subject);
  }

  /** The next batch of a query, from its {@code nextRecordsUrl} (a path on the instance). */
  Answer nextRecords(String nextRecordsUrl, CrmOperation operation, Subject subject) {
    HttpUrl url = settings.instance().resolve(nextRecordsUrl);
    if (url == null || !url.host().equals(settings.instance().host())) {
      throw subject.apply(CrmException.of(CrmException.Kind.PERMANENT, system, operation))
          .detail("nextRecordsUrl is not a path on the instance: " + nextRecordsUrl).build();
    }
    return call(new Request.Builder().url(url).get(), false, operation, subject);
  }

  /** POST or PATCH: a write, so a lost answer is {@code OUTCOME_UNKNOWN}. */
  Answer write(String method, HttpUrl url, ObjectNode body, CrmOperation operation,
      Subject subject) {
    return call(new Request.Builder().url(url)
        .method(method, RequestBody.create(body.toString(), JSON)), true, operation, subject);
  }

  private Answer call(Request.Builder request, boolean write, CrmOperation operation,
      Subject subject) {
    Optional<Duration> paused = quota.pausedFor();
    if (paused.isPresent()) {
      throw subject.apply(CrmException.of(CrmException.Kind.TRANSIENT, system, operation))
          .detail("not calling: the org's " + quota.usage() + " is above the configured ceiling")
          .retryAfter(paused.get()).build();
    }
    request.header("Accept", "application/json");
    String authorization = token.bearer(operation);
    Received answer = send(request.header("Authorization", authorization).build(), write,
        operation, subject);
    if (answer.code() == 401) {
      token.refused(authorization);
      answer = send(request.header("Authorization", token.bearer(operation)).build(), write,
          operation, subject);
    }
    if (answer.code() >= 200 && answer.code() < 300) {
      return new Answer(answer.code(), answer.body());
    }
    throw refusal(answer, operation, subject);
  }

  private record Received(int code, JsonNode body, Optional<String> retryAfter) {}

  private Received send(Request request, boolean write, CrmOperation operation, Subject subject) {
    JsonCall.Reply reply =
        JsonCall.send(http, json, request, write, system, operation, subject, "");
    quota.observe(reply.header("Sforce-Limit-Info").orElse(null));
    return new Received(reply.code(), reply.body(), reply.header("Retry-After"));
  }

  private CrmException refusal(Received answer, CrmOperation operation, Subject subject) {
    int code = answer.code();
    JsonNode first = answer.body().isArray() ? answer.body().path(0) : answer.body();
    String errorCode = first.path("errorCode").asText("");
    String message = first.path("message").asText("");
    String detail = "HTTP " + code + (errorCode.isEmpty() ? "" : " " + errorCode)
        + (message.isEmpty() ? "" : ": " + message);
    if (code != 401 && errorCode.equals("REQUEST_LIMIT_EXCEEDED")) {
      // The org's daily allowance is spent (403): no Retry-After, it is a rolling 24 hours.
      return subject.apply(CrmException.of(CrmException.Kind.TRANSIENT, system, operation)
          .retryAfter(quota.pause())).detail(detail).build();
    }
    CrmException.Kind kind = HttpFailure.kindOf(code);
    if (kind == CrmException.Kind.PERMANENT && TRANSIENT_CODES.contains(errorCode)) {
      kind = CrmException.Kind.TRANSIENT;
    }
    CrmException.Builder b = CrmException.of(kind, system, operation);
    if (code == 401) {
      detail += " (a fresh token was refused too)";
    } else if (code == 403) {
      detail += " (the integration user lacks a permission or access to this record)";
    } else if (kind == CrmException.Kind.TRANSIENT) {
      HttpFailure.retryAfter(answer.retryAfter()).ifPresent(b::retryAfter);
    }
    return subject.apply(b).detail(detail).build();
  }
}
