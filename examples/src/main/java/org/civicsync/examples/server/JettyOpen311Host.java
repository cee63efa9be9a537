package org.civicsync.examples.server;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.civicsync.open311.server.Open311Server;
import org.civicsync.open311.server.ServerRequest;
import org.civicsync.open311.server.ServerResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;

/**
 * A standalone host for {@link Open311Server}s: embedded Jetty 12 with a plain core handler (no
 * servlet layer), each server answering under its base path (e.g. {@code /open311/v2/}; the
 * longest matching path wins). {@link #close()} is graceful: Jetty stops accepting, then waits for
 * the requests in flight (up to the stop timeout) before it stops.
 */
public final class JettyOpen311Host implements AutoCloseable {
  /** How long {@link #close()} waits for requests in flight by default. */
  public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Server jetty;
  private final ServerConnector connector;

  private JettyOpen311Host(Server jetty, ServerConnector connector) {
    this.jetty = jetty;
    this.connector = connector;
  }

  /** Starts listening on {@code host:port} (port 0 picks a free one). */
  public static JettyOpen311Host start(Open311Server open311, String host, int port,
      String basePath) throws Exception {
    Objects.requireNonNull(open311, "open311 == null");
    Objects.requireNonNull(basePath, "basePath == null");
    return start(Map.of(basePath, open311), host, port, STOP_TIMEOUT);
  }

  /**
   * Starts listening on {@code host:port} (port 0 picks a free one) with one server per base path;
   * {@code stopTimeout} is how long {@link #close()} waits for requests in flight.
   */
  public static JettyOpen311Host start(Map<String, Open311Server> mounts, String host, int port,
      Duration stopTimeout) throws Exception {
    Objects.requireNonNull(mounts, "mounts == null");
    Objects.requireNonNull(stopTimeout, "stopTimeout == null");
    if (mounts.isEmpty()) {
      throw new IllegalArgumentException("nothing to serve");
    }
    Map<String, Open311Server> byPath = new LinkedHashMap<>();
    mounts.entrySet().stream()
        .sorted(Comparator.comparingInt((Map.Entry<String, Open311Server> e) -> e.getKey().length())
            .reversed())
        .forEach(e -> byPath.put(Objects.requireNonNull(e.getKey(), "basePath == null"),
            Objects.requireNonNull(e.getValue(), "open311 == null")));
    List<Map.Entry<String, Open311Server>> routes = List.copyOf(byPath.entrySet());
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost(host);
    connector.setPort(port);
    jetty.addConnector(connector);
    jetty.setStopTimeout(stopTimeout.toMillis());
    GracefulHandler graceful = new GracefulHandler();
    graceful.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        for (Map.Entry<String, Open311Server> route : routes) {
          if (path.startsWith(route.getKey())) {
            answer(route.getValue(), path.substring(route.getKey().length()), request, response,
                callback);
            return true;
          }
        }
        return false;
      }
    });
    jetty.setHandler(graceful);
    jetty.start();
    return new JettyOpen311Host(jetty, connector);
  }

  private static void answer(Open311Server open311, String path, Request request,
      Response response, Callback callback) throws Exception {
    byte[] body;
    try (InputStream in = Content.Source.asInputStream(request)) {
      body = in.readNBytes(open311.maxBodyBytes() + 1);
    }
    ServerResponse answer = open311.handle(new ServerRequest(request.getMethod(), path,
        Optional.ofNullable(request.getHttpURI().getQuery()).orElse(""),
        Optional.ofNullable(request.getHeaders().get(HttpHeader.CONTENT_TYPE)), body));
    response.setStatus(answer.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
    response.write(true, ByteBuffer.wrap(answer.body()), callback);
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** Stops accepting, lets the requests in flight finish (up to the stop timeout), then stops. */
  @Override
  public void close() throws Exception {
    jetty.stop();
  }
}
