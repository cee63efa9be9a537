package org.civicsync.open311.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import org.civicsync.core.resilience.RemoteSystem;
import org.civicsync.open311.Format;
import org.civicsync.open311.Open311Error;
import org.civicsync.open311.Open311ErrorResponseException;
import org.civicsync.open311.Open311FormatException;
import org.civicsync.open311.Open311TransportException;
import org.civicsync.open311.codec.Open311Decoder;
import org.civicsync.open311.codec.WireDocument;
import org.civicsync.open311.codec.WireParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP exchange under {@link Open311Client}: builds URLs and bodies, turns answers into
 * documents and failures into typed exceptions. Never logs a query string or a body: they hold
 * the {@code api_key} and citizens' details.
 */
final class Open311Http {
  private static final Logger log = LoggerFactory.getLogger(Open311Http.class);
  private static final MediaType FORM =
      MediaType.get("application/x-www-form-urlencoded; charset=utf-8");
  private static final WireParser PARSER = new WireParser();

  private final OkHttpClient http;
  private final RemoteSystem remote;
  private final Open311Client.Settings settings;

  Open311Http(OkHttpClient http, RemoteSystem remote, Open311Client.Settings settings) {
    this.http = http;
    this.remote = remote;
    this.settings = settings;
  }

  RemoteSystem remote() {
    return remote;
  }

  <T> T get(String resource, Map<String, String> args, boolean apiKeyInQuery,
      Function<WireDocument, T> decode) {
    return get(List.of(resource), args, apiKeyInQuery, decode);
  }

  /** A GET, retried by the endpoint's policy. */
  <T> T get(List<String> segments, Map<String, String> args, boolean apiKeyInQuery,
      Function<WireDocument, T> decode) {
    HttpUrl.Builder url = url(segments);
    settings.jurisdictionId.ifPresent(j -> url.addQueryParameter("jurisdiction_id", j));
    if (apiKeyInQuery) {
      url.addQueryParameter("api_key", settings.apiKey.orElse(""));
    }
    args.forEach(url::addQueryParameter);
    Request request = new Request.Builder().url(url.build())
        .header("Accept", settings.format.contentType()).get().build();
    String what = "GET " + String.join("/", segments) + "." + settings.format.suffix();
    return remote.call(() -> decode.apply(exchange(request, what)));
  }

  /** A POST, sent once: a repeated create would make a second case. */
  <T> T post(String resource, List<Map.Entry<String, String>> fields, List<Photo> photos,
      Function<WireDocument, T> decode) {
    RequestBody body;
    if (photos.isEmpty()) {
      FormBody.Builder form = new FormBody.Builder(StandardCharsets.UTF_8);
      fields.forEach(f -> form.add(f.getKey(), f.getValue()));
      body = withContentType(form.build(), FORM);
    } else {
      MultipartBody.Builder multipart = new MultipartBody.Builder().setType(MultipartBody.FORM);
      fields.forEach(f -> multipart.addFormDataPart(f.getKey(), f.getValue()));
      for (int i = 0; i < photos.size(); i++) {
        Photo photo = photos.get(i);
        multipart.addFormDataPart("photo" + (i + 1), photo.filename(),
            RequestBody.create(photo.bytes(), MediaType.parse(photo.contentType())));
      }
      body = multipart.build();
    }
    Request request = new Request.Builder().url(url(List.of(resource)).build())
        .header("Accept", settings.format.contentType()).post(body).build();
    String what = "POST " + resource + "." + settings.format.suffix();
    return remote.callOnce(() -> decode.apply(exchange(request, what)));
  }

  private HttpUrl.Builder url(List<String> segments) {
    HttpUrl.Builder url = settings.endpoint.newBuilder();
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      url.addPathSegment(i == segments.size() - 1 ? segment + "." + settings.format.suffix() : segment);
    }
    return url;
  }

  private WireDocument exchange(Request request, String what) {
    long started = System.nanoTime();
    try (Response response = http.newCall(request).execute()) {
      byte[] body = read(response.body(), what);
      int status = response.code();
      log.debug("{} -> HTTP {} ({} bytes, {} ms)", what, status, body.length,
          (System.nanoTime() - started) / 1_000_000);
      Format format = body.length > 0 ? WireParser.sniff(body) : settings.format;
      if (status < 200 || status > 299) {
        throw new Open311ErrorResponseException(what, status, errorsIn(body, format),
            retryAfter(response));
      }
      WireDocument doc = PARSER.parse(body, format, what);
      if (Open311Decoder.isErrorDocument(doc)) {
        throw new Open311ErrorResponseException(what + " (errors inside HTTP " + status + ")",
            status, Open311Decoder.errors(doc), Optional.empty());
      }
      return doc;
    } catch (IOException e) {
      throw new Open311TransportException(what + " to " + request.url().host() + ":"
          + request.url().port() + " failed: " + e, mayHaveReachedServer(e), e);
    }
  }

  private byte[] read(ResponseBody body, String what) throws IOException {
    if (body == null) {
      return new byte[0];
    }
    BufferedSource source = body.source();
    long limit = settings.maxBodyBytes;
    if (!source.request(limit + 1)) {
      return source.readByteArray();
    }
    Buffer head = new Buffer();
    source.read(head, 200);
    throw new Open311FormatException(what + ": the answer is larger than " + limit
        + " bytes; it begins " + WireParser.quote(head.readByteArray()));
  }

  /** The error list of an error answer, or one entry quoting the body when it is not Open311. */
  private static List<Open311Error> errorsIn(byte[] body, Format format) {
    if (body.length == 0) {
      return List.of();
    }
    try {
      WireDocument doc = PARSER.parse(body, format, "error body");
      if (Open311Decoder.isErrorDocument(doc)) {
        return Open311Decoder.errors(doc);
      }
    } catch (RuntimeException notOpen311) {
      // fall through: quote what came back
    }
    return List.of(new Open311Error("", "answer was not an Open311 error document; it begins "
        + WireParser.quote(body)));
  }

  /** {@code Retry-After} as seconds or as an HTTP date. */
  private Optional<Duration> retryAfter(Response response) {
    String value = response.header("Retry-After");
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip()))));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration wait = Duration.between(settings.clock.instant(), at.toInstant());
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notDate) {
        log.warn("ignoring unreadable Retry-After header '{}'", value);
        return Optional.empty();
      }
    }
  }

  /**
   * False only when the request cannot have been sent: the connection was never made. A read
   * timeout after sending may have created the case.
   */
  private static boolean mayHaveReachedServer(IOException e) {
    if (e instanceof ConnectException || e instanceof UnknownHostException
        || e instanceof NoRouteToHostException) {
      return false;
    }
    if (e instanceof SocketTimeoutException && e.getMessage() != null
        && e.getMessage().contains("connect")) {
      return false;
    }
    return !(e instanceof InterruptedIOException && "connect timed out".equals(e.getMessage()));
  }

  private static RequestBody withContentType(FormBody form, MediaType type) {
    Buffer buffer = new Buffer();
    try {
      form.writeTo(buffer);
    } catch (IOException impossible) {
      throw new IllegalStateException(impossible);
    }
    return RequestBody.create(buffer.readByteArray(), type);
  }
}
