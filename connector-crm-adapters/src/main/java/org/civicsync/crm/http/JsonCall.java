package org.civicsync.crm.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;
import java.util.function.UnaryOperator;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmOperation;

/**
 * One HTTP exchange with a CRM's JSON API, sent once: the adapters decide what a status means,
 * this reads the answer the same way for all of them.
 *
 * <ul>
 *   <li>no answer: a {@link CrmException} of the kind {@link HttpFailure#noAnswer} gives, naming
 *       the method and path (never the query, which may hold a reference);</li>
 *   <li>an empty body: an empty JSON object;</li>
 *   <li>a 2xx whose body is not JSON: TRANSIENT (something in between answered for the CRM);</li>
 *   <li>an error status whose body is not JSON (a proxy's HTML page): an empty object, the status
 *       says enough.</li>
 * </ul>
 */
public final class JsonCall {
  private JsonCall() {}

  /** A status, a JSON body (an empty object when there was none) and the headers. */
  public record Reply(int code, JsonNode body, Headers headers) {
    public boolean ok() {
      return code >= 200 && code < 300;
    }

    public Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name));
    }
  }

  /**
   * @param subject adds what the exception should name (a case id or an external reference)
   * @param notJsonHint appended to the detail of a 2xx that is not JSON, e.g. a likely cause
   */
  public static Reply send(OkHttpClient http, ObjectMapper json, Request request, boolean write,
      String system, CrmOperation operation, UnaryOperator<CrmException.Builder> subject,
      String notJsonHint) {
    try (Response response = http.newCall(request).execute()) {
      String text = response.body() == null ? "" : response.body().string();
      int code = response.code();
      return new Reply(code, parse(json, text, code, system, operation, subject, notJsonHint),
          response.headers());
    } catch (IOException e) {
      throw subject.apply(CrmException.of(HttpFailure.noAnswer(e, write), system, operation))
          .detail(request.method() + " " + request.url().encodedPath() + ": no answer ("
              + e.getClass().getSimpleName() + ")")
          .cause(e).build();
    }
  }

  private static JsonNode parse(ObjectMapper json, String text, int code, String system,
      CrmOperation operation, UnaryOperator<CrmException.Builder> subject, String notJsonHint) {
    if (text.isBlank()) {
      return json.createObjectNode();
    }
    try {
      JsonNode node = json.readTree(text);
      return node == null ? json.createObjectNode() : node;
    } catch (IOException e) {
      if (code >= 200 && code < 300) {
        throw subject.apply(CrmException.of(CrmException.Kind.TRANSIENT, system, operation))
            .detail("HTTP " + code + " with a body that is not JSON" + notJsonHint).build();
      }
      return json.createObjectNode();
    }
  }

  /**
   * {@code text} as JSON, or an empty object when it is blank or not JSON: for reading what an
   * error answer or a token endpoint says, where a missing field is the caller's to report.
   */
  public static JsonNode readOrEmpty(ObjectMapper json, String text) {
    try {
      JsonNode node = json.readTree(text);
      return node == null ? json.createObjectNode() : node;
    } catch (IOException e) {
      return json.createObjectNode();
    }
  }
}
