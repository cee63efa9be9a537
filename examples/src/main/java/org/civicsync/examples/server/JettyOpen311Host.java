package org.civicsync.examples.server;

import java.io.InputStream;
import java.nio.ByteBuffer;
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
import org.eclipse.jetty.util.Callback;

/**
 * A standalone host for an {@link Open311Server}: embedded Jetty 12 with a plain core handler (no
 * servlet layer), answering under {@code basePath} (e.g. {@code /open311/v2/}).
 */
public final class JettyOpen311Host implements AutoCloseable {
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
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost(host);
    connector.setPort(port);
    jetty.addConnector(connector);
    jetty.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (!path.startsWith(basePath)) {
          return false;
        }
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
          body = in.readNBytes(open311.maxBodyBytes() + 1);
        }
        ServerResponse answer = open311.handle(new ServerRequest(request.getMethod(),
            path.substring(basePath.length()),
            Optional.ofNullable(request.getHttpURI().getQuery()).orElse(""),
            Optional.ofNullable(request.getHeaders().get(HttpHeader.CONTENT_TYPE)), body));
        response.setStatus(answer.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
        return true;
      }
    });
    jetty.start();
    return new JettyOpen311Host(jetty, connector);
  }

  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    jetty.stop();
  }
}
