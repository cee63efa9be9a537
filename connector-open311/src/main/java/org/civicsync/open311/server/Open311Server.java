package org.civicsync.open311.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.civicsync.core.resilience.RemoteSystemUnavailableException;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.store.SyncStoreException;
import org.civicsync.core.sync.FanOut;
import org.civicsync.core.sync.ServeMode;
import org.civicsync.open311.Format;
import org.civicsync.open311.Open311Error;
import org.civicsync.open311.codec.FormFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The council's GeoReport v2 endpoint (with mySociety's update extension), independent of any
 * HTTP framework: a {@link ServerRequest} in, a {@link ServerResponse} out. Hosts (the servlet,
 * the embedded Jetty in {@code examples}) only move bytes.
 *
 * <p>Routes, each {@code .xml} or {@code .json}: {@code discovery}, {@code services},
 * {@code services/{code}}, {@code POST requests}, {@code tokens/{token}}, {@code GET requests}
 * (by ids, or by a window of requested_datetime with status and service_code filters),
 * {@code GET requests/{id}}, {@code GET} and {@code POST servicerequestupdates}. Several
 * jurisdictions are told apart by {@code jurisdiction_id} (optional when there is one); one may
 * fan out to several CRMs ({@link FanOut}); its services may come from its CRM's catalogue.
 *
 * <p>Every client mistake is answered with the error document and 400, 403, 404 or 413, naming the
 * field; a failure of ours is a 500 or 503 whose description holds a reference for the log, never
 * a stack trace. Neither the api_key nor a citizen's details are ever logged.
 */
public final class Open311Server {
  private static final Logger log = LoggerFactory.getLogger(Open311Server.class);
  private static final Pattern ROUTE = Pattern.compile(
      "(discovery|services|requests|servicerequestupdates|services/([^/]+)|requests/([^/]+)"
          + "|tokens/([^/]+))\\.(xml|json)");

  private final ServeMode serveMode;
  private final Map<String, ServedJurisdiction> jurisdictions;
  private final int maxBodyBytes;
  private final String baseUrl;
  private final ServiceLists services;
  private final Backends backends;
  private final ReportRoutes reports;
  private final UpdateRoutes updates;

  private Open311Server(Builder b) {
    this.serveMode = b.serveMode;
    this.jurisdictions = Map.copyOf(b.jurisdictions);
    this.maxBodyBytes = b.maxBodyBytes;
    this.baseUrl = b.baseUrl;
    this.backends = new Backends(b.fanOuts);
    for (ServedJurisdiction j : jurisdictions.values()) {
      if (backends.isFanOut(j.id())) {
        checkFanOut(j, b.fanOuts.get(j.id()));
      } else if (!serveMode.jurisdictions().containsKey(j.id())) {
        throw new IllegalArgumentException("jurisdiction " + j.id() + " is not one of serve mode's "
            + serveMode.jurisdictions().keySet());
      }
    }
    for (String id : b.fanOuts.keySet()) {
      if (!jurisdictions.containsKey(id)) {
        throw new IllegalArgumentException("fan-out " + id + " has no served jurisdiction");
      }
    }
    for (String id : b.servicesFromCrm.keySet()) {
      if (!jurisdictions.containsKey(id)) {
        throw new IllegalArgumentException("servicesFromCrm: jurisdiction " + id
            + " is not served here");
      }
    }
    // Rendered once per list: a list is immutable, and served whole.
    this.services = new ServiceLists(serveMode, b.clock, b.servicesFromCrm, backends,
        jurisdictions.values());
    this.reports = new ReportRoutes(serveMode, services, b.clock, backends);
    this.updates = new UpdateRoutes(serveMode, b.clock, b.updatesLimit, backends);
  }

  /** Every branch is a serve-mode jurisdiction, and every served service goes to one branch. */
  private void checkFanOut(ServedJurisdiction j, FanOut fan) {
    for (FanOut.Branch branch : fan.branches()) {
      if (!serveMode.jurisdictions().containsKey(branch.jurisdiction())) {
        throw new IllegalArgumentException("fan-out " + j.id() + ": branch '" + branch.prefix()
            + "' names jurisdiction " + branch.jurisdiction() + ", which is not one of serve"
            + " mode's " + serveMode.jurisdictions().keySet());
      }
    }
    for (org.civicsync.core.model.Service s : j.services()) {
      if (fan.forService(s.code()).isEmpty()) {
        throw new IllegalArgumentException("fan-out " + j.id() + ": service_code '" + s.code()
            + "' goes to no branch");
      }
    }
  }

  public static Builder builder(ServeMode serveMode) {
    return new Builder(serveMode);
  }

  /** The engine behind the endpoint, for the host's background work ({@link ServeMode#work}). */
  public ServeMode serveMode() {
    return serveMode;
  }

  /** The largest body accepted; hosts stop reading one byte past it. */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** Answers one request. Never throws. */
  public ServerResponse handle(ServerRequest request) {
    Objects.requireNonNull(request, "request == null");
    String path = request.path().startsWith("/") ? request.path().substring(1) : request.path();
    Matcher m = ROUTE.matcher(path);
    Format format = path.endsWith(".json") ? Format.JSON : Format.XML;
    try {
      if (!m.matches()) {
        throw ClientMistake.notFound("no such resource: " + clip(path)
            + " (routes end in .xml or .json)");
      }
      format = Format.parse(m.group(5));
      return route(request, m, format);
    } catch (ClientMistake e) {
      return error(format, e.status(), e.getMessage());
    } catch (IllegalArgumentException e) {
      return error(format, 400, e.getMessage());
    } catch (CrmException | RemoteSystemUnavailableException e) {
      String ref = UUID.randomUUID().toString();
      log.warn("{}: the CRM failed ({}), reference {}", request,
          e instanceof CrmException c ? c.kind() : "circuit open", ref);
      return error(format, 503, "the council's case system is unavailable; send again later"
          + " (reference " + ref + ")");
    } catch (SyncStoreException e) {
      // Nothing was promised: the store (or receipt log) did not take it, so a resend is safe.
      String ref = UUID.randomUUID().toString();
      log.error("{}: the store failed, reference {}: {}", request, ref, e.getMessage());
      return error(format, 503, "this endpoint could not record the request; send again later"
          + " (reference " + ref + ")");
    } catch (RuntimeException e) {
      String ref = UUID.randomUUID().toString();
      log.error("{}: failed, reference {}: {}", request, ref, e.getClass().getName());
      log.debug("reference " + ref, e);
      return error(format, 500, "internal error (reference " + ref + ")");
    }
  }

  private ServerResponse route(ServerRequest request, Matcher m, Format format) {
    String what = m.group(1);
    boolean post = request.method().equalsIgnoreCase("POST");
    if (!post && !request.method().equalsIgnoreCase("GET")) {
      throw new ClientMistake(405, "method " + clip(request.method()) + " not allowed");
    }
    if (post && !(what.equals("requests") || what.equals("servicerequestupdates"))) {
      throw new ClientMistake(405, "POST is not allowed on " + what);
    }
    if (request.body().length > maxBodyBytes) {
      throw new ClientMistake(413, "body larger than " + maxBodyBytes + " bytes");
    }
    FormFields params = post ? merge(request) : query(request.query());
    if (what.equals("discovery")) {
      return ok(format, Open311Documents.discovery(format, "2024-01-01T00:00:00Z", baseUrl));
    }
    ServedJurisdiction j = jurisdiction(params);
    if (what.equals("services")) {
      return ok(format, services.current(j).rendered().get(format));
    }
    if (m.group(2) != null) {
      String code = m.group(2);
      return ok(format, Open311Documents.definition(format, services.known(j).definition(code)
          .orElseThrow(() -> ClientMistake.notFound(
          "service_code '" + clip(code) + "' has no definition in jurisdiction " + j.id()))));
    }
    if (m.group(4) != null) {
      return ok(format, reports.token(j, format, m.group(4)));
    }
    if (m.group(3) != null) {
      return ok(format, reports.one(j, format, m.group(3)));
    }
    if (what.equals("requests")) {
      if (!post) {
        return ok(format, reports.list(j, format, params));
      }
      authorise(j, params);
      return ok(format, reports.create(j, format, params));
    }
    authorise(j, params);
    return ok(format, post ? updates.receive(j, format, params) : updates.feed(j, format, params));
  }

  private ServedJurisdiction jurisdiction(FormFields params) {
    Optional<String> id = params.first("jurisdiction_id");
    if (id.isEmpty()) {
      if (jurisdictions.size() == 1) {
        return jurisdictions.values().iterator().next();
      }
      throw ClientMistake.badRequest("jurisdiction_id: required (this endpoint serves "
          + jurisdictions.size() + " jurisdictions)");
    }
    ServedJurisdiction j = jurisdictions.get(id.get());
    if (j == null) {
      throw ClientMistake.notFound("jurisdiction_id '" + clip(id.get()) + "' is not served here");
    }
    return j;
  }

  /** Constant time: both sides are hashed to equal lengths before the comparison. */
  private static void authorise(ServedJurisdiction j, FormFields params) {
    Optional<String> given = params.first("api_key");
    if (given.isEmpty()) {
      throw new ClientMistake(403, "api_key: required");
    }
    if (!MessageDigest.isEqual(sha256(given.get()), sha256(j.apiKey()))) {
      throw new ClientMistake(403, "api_key: not valid for jurisdiction " + j.id());
    }
  }

  static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static FormFields merge(ServerRequest request) {
    String type = request.contentType().orElse("").toLowerCase(Locale.ROOT);
    FormFields body;
    if (type.startsWith("application/x-www-form-urlencoded")) {
      body = FormFields.parse(request.body());
    } else if (type.startsWith("multipart/form-data")) {
      body = MultipartForm.parse(request.body(), MultipartForm.boundary(request.contentType().get()));
    } else {
      throw ClientMistake.badRequest("Content-Type must be application/x-www-form-urlencoded or "
          + "multipart/form-data, was '" + clip(request.contentType().orElse("")) + "'");
    }
    if (request.query().isEmpty()) {
      return body;
    }
    List<Map.Entry<String, String>> all = new java.util.ArrayList<>(body.entries());
    all.addAll(query(request.query()).entries());
    return FormFields.of(all);
  }

  private static FormFields query(String query) {
    return FormFields.parse(query.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static ServerResponse ok(Format format, byte[] body) {
    return new ServerResponse(200, format.contentType(), body);
  }

  static ServerResponse error(Format format, int status, String description) {
    return new ServerResponse(status, format.contentType(), Open311Documents.errors(format,
        List.of(new Open311Error(Integer.toString(status), description))));
  }

  /** Echoed input is clipped: an error must not become a way to reflect megabytes. */
  static String clip(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }

  public static final class Builder {
    private final ServeMode serveMode;
    private final Map<String, ServedJurisdiction> jurisdictions = new LinkedHashMap<>();
    private int maxBodyBytes = 256 * 1024;
    private int updatesLimit = 1000;
    private Clock clock = Clock.systemUTC();
    private String baseUrl = "http://localhost/open311/v2/";
    private final Map<String, FanOut> fanOuts = new LinkedHashMap<>();
    private final Map<String, java.time.Duration> servicesFromCrm = new LinkedHashMap<>();

    private Builder(ServeMode serveMode) {
      this.serveMode = Objects.requireNonNull(serveMode, "serveMode == null");
    }

    /**
     * Serves {@code value} from several CRMs: each branch of {@code fanOut} (whose id must be
     * {@code value}'s) is a serve-mode jurisdiction taking some of its service codes; ids are
     * prefixed per branch and routed back by prefix.
     */
    public Builder fanOut(ServedJurisdiction value, FanOut fanOut) {
      Objects.requireNonNull(fanOut, "fanOut == null");
      if (!fanOut.id().equals(value.id())) {
        throw new IllegalArgumentException("fan-out " + fanOut.id() + " given for jurisdiction "
            + value.id());
      }
      jurisdiction(value);
      fanOuts.put(fanOut.id(), fanOut);
      return this;
    }

    public Builder jurisdiction(ServedJurisdiction value) {
      Objects.requireNonNull(value, "jurisdiction == null");
      if (jurisdictions.putIfAbsent(value.id(), value) != null) {
        throw new IllegalArgumentException("jurisdiction " + value.id() + " served twice");
      }
      return this;
    }

    /** The largest request body accepted (default 256 KiB); larger ones get 413. */
    public Builder maxBodyBytes(int value) {
      if (value < 1024) {
        throw new IllegalArgumentException("maxBodyBytes must be at least 1024, was " + value);
      }
      this.maxBodyBytes = value;
      return this;
    }

    /** The most updates one GET servicerequestupdates answers (default 1,000). */
    public Builder updatesLimit(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("updatesLimit must be at least 1, was " + value);
      }
      this.updatesLimit = value;
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock == null");
      return this;
    }

    /** The endpoint's public URL, ending in {@code /}, for the discovery document. */
    public Builder baseUrl(String value) {
      this.baseUrl = Objects.requireNonNull(value, "baseUrl == null");
      return this;
    }

    /**
     * Serves jurisdiction {@code id}'s services from its CRM's service catalogue (codes by its
     * mapping), fetched at most once per {@code ttl}, instead of the configured list; a CRM
     * without a catalogue keeps the configured list. A failing CRM makes {@code services} an
     * error (503), never a partial list.
     *
     * <p>For a {@linkplain #fanOut fanned-out} jurisdiction the list is the union of its branches'
     * catalogues, each branch offering only the codes its {@link FanOut.Branch#serviceCodes()}
     * give it (the codes its POSTs are routed by), so no offered code reaches a CRM other than
     * the one that listed it; a branch whose CRM has no catalogue offers its configured services.
     * Any branch failing, or offering none of its codes, makes {@code services} a 503.
     */
    public Builder servicesFromCrm(String id, java.time.Duration ttl) {
      Objects.requireNonNull(id, "id == null");
      Objects.requireNonNull(ttl, "ttl == null");
      if (ttl.isNegative()) {
        throw new IllegalArgumentException("servicesFromCrm ttl must not be negative, was " + ttl);
      }
      servicesFromCrm.put(id, ttl);
      return this;
    }

    public Open311Server build() {
      if (jurisdictions.isEmpty()) {
        throw new IllegalStateException("a server needs at least one jurisdiction");
      }
      return new Open311Server(this);
    }
  }
}
