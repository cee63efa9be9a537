package org.civicsync.open311.client;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.civicsync.core.model.Report;
import org.civicsync.core.model.ReportUpdate;
import org.civicsync.core.model.Service;
import org.civicsync.core.model.ServiceDefinition;
import org.civicsync.core.model.W3cDateTime;
import org.civicsync.core.resilience.RemoteSystem;
import org.civicsync.core.resilience.ResiliencePolicy;
import org.civicsync.core.resilience.Sleeper;
import org.civicsync.open311.CreatedRequest;
import org.civicsync.open311.Discovery;
import org.civicsync.open311.Format;
import org.civicsync.open311.Open311ErrorResponseException;
import org.civicsync.open311.Open311Exception;
import org.civicsync.open311.codec.FormCodec;
import org.civicsync.open311.codec.FormCodec.MultiValueStyle;
import org.civicsync.open311.codec.Open311Decoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client for one GeoReport v2 endpoint, with mySociety's update extension: every operation, in
 * XML or JSON.
 *
 * <p>GETs are retried on IO errors, 408, 429 (after its {@code Retry-After}) and 5xx, behind a
 * circuit breaker; POSTs are sent once, because a repeated create makes a second case: a
 * {@link org.civicsync.open311.Open311TransportException} with
 * {@code mayHaveReachedServer() == true} must be settled by looking the report up.
 * {@code jurisdiction_id} and {@code api_key} go where FixMyStreet puts them. Thread-safe.
 */
public final class Open311Client {
  private static final Logger log = LoggerFactory.getLogger(Open311Client.class);
  /** The specification's longest window for {@code GET requests}. */
  public static final Duration MAX_WINDOW = Duration.ofDays(90);

  private final Settings settings;
  private final Open311Http http;

  private Open311Client(Settings settings, Open311Http http) {
    this.settings = settings;
    this.http = http;
  }

  public static Builder builder(String endpoint) {
    return new Builder(endpoint);
  }

  public Format format() {
    return settings.format;
  }

  /** The resilience guard of this endpoint, for its retry and circuit breaker events. */
  public RemoteSystem remoteSystem() {
    return http.remote();
  }

  public Discovery discovery() {
    return http.get("discovery", Map.of(), false,
        doc -> Open311Decoder.discovery(doc, "GET discovery"));
  }

  /** The whole service list, or an exception: a partial list would delete categories on FMS. */
  public List<Service> services() {
    return http.get("services", Map.of(), false,
        doc -> Open311Decoder.services(doc, "GET services"));
  }

  public ServiceDefinition serviceDefinition(String serviceCode) {
    Objects.requireNonNull(serviceCode, "serviceCode == null");
    return http.get(List.of("services", serviceCode), Map.of(), false,
        doc -> Open311Decoder.serviceDefinition(doc, "GET services/" + serviceCode));
  }

  /** Sends {@code POST requests} once. The answer holds an id or a token. */
  public CreatedRequest createRequest(Report report) {
    return createRequest(report, List.of());
  }

  /** Sends {@code POST requests} once, as multipart with {@code photo1..N} parts when given photos. */
  public CreatedRequest createRequest(Report report, List<Photo> photos) {
    Objects.requireNonNull(report, "report == null");
    Objects.requireNonNull(photos, "photos == null");
    if (report.serviceCode().isEmpty()) {
      throw new IllegalArgumentException("a report needs a service_code to be created: " + report);
    }
    if (!report.location().isSpecified()) {
      throw new IllegalArgumentException("a report needs lat/long, address_string or address_id: "
          + report);
    }
    List<Map.Entry<String, String>> fields = postFields(
        FormCodec.requestFields(report, settings.multiValueStyle));
    return http.post("requests", fields, photos,
        doc -> Open311Decoder.createdRequest(doc, "POST requests"));
  }

  /**
   * Creates a request and, when the endpoint answers a token, polls {@code tokens/{token}} until
   * it gives the {@code service_request_id}.
   */
  public String createRequestAndAwaitId(Report report) {
    CreatedRequest created = createRequest(report);
    return created.serviceRequestId().orElseGet(() -> awaitToken(created.token().orElseThrow()));
  }

  /** Asks once what a token has become. Empty while the endpoint has not assigned an id. */
  public Optional<String> token(String token) {
    Objects.requireNonNull(token, "token == null");
    try {
      return http.get(List.of("tokens", token), Map.of(), false,
          doc -> Open311Decoder.tokenResult(doc, "GET tokens/" + token));
    } catch (Open311ErrorResponseException e) {
      if (e.httpStatus() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Polls a token every {@code tokenPollInterval}, {@code tokenPollTries} times at most. */
  public String awaitToken(String token) {
    for (int attempt = 1; attempt <= settings.tokenPollTries; attempt++) {
      pause(settings.tokenPollInterval);
      Optional<String> id = token(token);
      if (id.isPresent()) {
        return id.get();
      }
    }
    throw new Open311Exception("token " + token + " had no service_request_id after "
        + settings.tokenPollTries + " polls every " + settings.tokenPollInterval);
  }

  /**
   * {@code GET requests}, completely: ids are asked for in batches; a window longer than 90 days is
   * split; a window whose answer fills a page is halved until every part comes back short, so
   * nothing beyond the endpoint's page limit is missed. Duplicates across windows are dropped.
   */
  public List<Report> requests(RequestQuery query) {
    Objects.requireNonNull(query, "query == null");
    return new RequestWindows(this::requestsOnce, settings.pageLimit, settings.maxIdsPerCall,
        settings.clock).fetch(query);
  }

  /** One {@code GET requests} call, exactly as asked, with no splitting. */
  public List<Report> requestsOnce(Map<String, String> arguments) {
    return http.get("requests", arguments, false,
        doc -> Open311Decoder.requests(doc, "GET requests"));
  }

  /** {@code GET requests/{id}}; empty when the endpoint answers 404 or an empty list. */
  public Optional<Report> request(String id) {
    Objects.requireNonNull(id, "id == null");
    try {
      List<Report> found = http.get(List.of("requests", id), Map.of(), false,
          doc -> Open311Decoder.requests(doc, "GET requests/" + id));
      return found.stream().findFirst();
    } catch (Open311ErrorResponseException e) {
      if (e.httpStatus() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * {@code GET servicerequestupdates} for a window, with {@code api_key} in the query as
   * FixMyStreet sends it (empty when none is configured).
   */
  public List<ReportUpdate> updates(OffsetDateTime start, OffsetDateTime end) {
    Objects.requireNonNull(start, "start == null");
    Objects.requireNonNull(end, "end == null");
    Map<String, String> args = new LinkedHashMap<>();
    args.put("start_date", W3cDateTime.format(start.withOffsetSameInstant(ZoneOffset.UTC)));
    args.put("end_date", W3cDateTime.format(end.withOffsetSameInstant(ZoneOffset.UTC)));
    return http.get("servicerequestupdates", args, true,
        doc -> Open311Decoder.updates(doc, "GET servicerequestupdates"));
  }

  /** Sends {@code POST servicerequestupdates} once; answers the endpoint's {@code update_id}. */
  public String postUpdate(ReportUpdate update) {
    Objects.requireNonNull(update, "update == null");
    List<Map.Entry<String, String>> fields = postFields(
        FormCodec.updateFields(update, settings.extendedStatuses));
    return http.post("servicerequestupdates", fields, List.of(),
        doc -> Open311Decoder.postedUpdateId(doc, "POST servicerequestupdates"));
  }

  private List<Map.Entry<String, String>> postFields(List<Map.Entry<String, String>> fields) {
    List<Map.Entry<String, String>> all = new ArrayList<>(fields.size() + 2);
    settings.apiKey.ifPresent(key -> all.add(Map.entry("api_key", key)));
    settings.jurisdictionId.ifPresent(j -> all.add(Map.entry("jurisdiction_id", j)));
    all.addAll(fields);
    return all;
  }

  private void pause(Duration duration) {
    try {
      settings.sleeper.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Open311Exception("interrupted while waiting to poll a token", e);
    }
  }

  /** What the builder collects; immutable once built. */
  static final class Settings {
    HttpUrl endpoint;
    Optional<String> jurisdictionId = Optional.empty();
    Optional<String> apiKey = Optional.empty();
    Format format = Format.XML;
    Duration connectTimeout = Duration.ofSeconds(10);
    Duration readTimeout = Duration.ofSeconds(60);
    ResiliencePolicy policy = ResiliencePolicy.ofDefaults();
    Sleeper sleeper = Sleeper.SYSTEM;
    Clock clock = Clock.systemUTC();
    MultiValueStyle multiValueStyle = MultiValueStyle.BRACKETS;
    boolean extendedStatuses = true;
    Duration tokenPollInterval = Duration.ofSeconds(2);
    int tokenPollTries = 5;
    int pageLimit = 1000;
    int maxIdsPerCall = 50;
    long maxBodyBytes = 64L * 1024 * 1024;
    OkHttpClient httpClient;
  }

  public static final class Builder {
    private final Settings s = new Settings();

    private Builder(String endpoint) {
      Objects.requireNonNull(endpoint, "endpoint == null");
      HttpUrl url = HttpUrl.parse(endpoint.endsWith("/") ? endpoint : endpoint + "/");
      if (url == null) {
        throw new IllegalArgumentException("endpoint is not an http(s) URL: '" + endpoint + "'");
      }
      s.endpoint = url;
    }

    public Builder jurisdictionId(String value) {
      s.jurisdictionId = blankToEmpty(value);
      return this;
    }

    public Builder apiKey(String value) {
      s.apiKey = blankToEmpty(value);
      return this;
    }

    public Builder format(Format value) {
      s.format = Objects.requireNonNull(value, "format == null");
      return this;
    }

    public Builder connectTimeout(Duration value) {
      s.connectTimeout = positive(value, "connectTimeout");
      return this;
    }

    public Builder readTimeout(Duration value) {
      s.readTimeout = positive(value, "readTimeout");
      return this;
    }

    public Builder resilience(ResiliencePolicy value) {
      s.policy = Objects.requireNonNull(value, "policy == null");
      return this;
    }

    /** Waits between retries and token polls go through this; tests pass one that records them. */
    public Builder sleeper(Sleeper value) {
      s.sleeper = Objects.requireNonNull(value, "sleeper == null");
      return this;
    }

    /** "Now", for a window with a start and no end. */
    public Builder clock(Clock value) {
      s.clock = Objects.requireNonNull(value, "clock == null");
      return this;
    }

    public Builder multiValueStyle(MultiValueStyle value) {
      s.multiValueStyle = Objects.requireNonNull(value, "multiValueStyle == null");
      return this;
    }

    /** False for a peer that knows only OPEN and CLOSED. */
    public Builder extendedStatuses(boolean value) {
      s.extendedStatuses = value;
      return this;
    }

    public Builder tokenPolling(Duration interval, int tries) {
      s.tokenPollInterval = positive(interval, "tokenPollInterval");
      if (tries < 1) {
        throw new IllegalArgumentException("tokenPollTries must be at least 1, was " + tries);
      }
      s.tokenPollTries = tries;
      return this;
    }

    /** How many requests the endpoint answers at most per call (the spec's default is 1,000). */
    public Builder pageLimit(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("pageLimit must be at least 1, was " + value);
      }
      s.pageLimit = value;
      return this;
    }

    public Builder maxIdsPerCall(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxIdsPerCall must be at least 1, was " + value);
      }
      s.maxIdsPerCall = value;
      return this;
    }

    public Builder maxBodyBytes(long value) {
      if (value < 1024) {
        throw new IllegalArgumentException("maxBodyBytes must be at least 1024, was " + value);
      }
      s.maxBodyBytes = value;
      return this;
    }

    /** A shared OkHttp client to derive from (its pool and dispatcher are reused). */
    public Builder httpClient(OkHttpClient value) {
      s.httpClient = Objects.requireNonNull(value, "httpClient == null");
      return this;
    }

    public Open311Client build() {
      OkHttpClient base = s.httpClient != null ? s.httpClient : new OkHttpClient();
      OkHttpClient http = base.newBuilder()
          .connectTimeout(s.connectTimeout)
          .readTimeout(s.readTimeout)
          .writeTimeout(s.readTimeout)
          .retryOnConnectionFailure(false)
          .build();
      String name = "open311:" + s.endpoint.host() + s.endpoint.encodedPath();
      RemoteSystem remote = RemoteSystem.create(name, s.policy, s.sleeper);
      log.debug("Open311 client for {} ({}), policy {}", name, s.format, s.policy);
      return new Open311Client(s, new Open311Http(http, remote, s));
    }

    private static Optional<String> blankToEmpty(String value) {
      return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name + " == null");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }
  }
}
