package org.civicsync.open311.server;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;
import org.civicsync.open311.Format;

/**
 * Mounts an {@link Open311Server} in an existing servlet container: map it to
 * {@code /open311/v2/*}. The body is read up to one byte past the server's limit, so an oversized
 * one is refused without being held in memory.
 */
public final class Open311Servlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient Open311Server server;

  public Open311Servlet(Open311Server server) {
    this.server = Objects.requireNonNull(server, "server == null");
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = Optional.ofNullable(req.getPathInfo()).orElse("");
    byte[] body;
    try (InputStream in = req.getInputStream()) {
      body = in.readNBytes(server.maxBodyBytes() + 1);
    }
    ServerResponse answer = body.length > server.maxBodyBytes()
        ? Open311Server.error(path.endsWith(".json") ? Format.JSON : Format.XML, 413,
            "body larger than " + server.maxBodyBytes() + " bytes")
        : server.handle(new ServerRequest(req.getMethod(), path,
            Optional.ofNullable(req.getQueryString()).orElse(""),
            Optional.ofNullable(req.getContentType()), body));
    resp.setStatus(answer.status());
    resp.setContentType(answer.contentType());
    resp.setContentLength(answer.body().length);
    resp.getOutputStream().write(answer.body());
  }
}
