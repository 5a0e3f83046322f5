package dev.weft.server;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Serves {@link ServerMetrics} at {@code http://HOST:PORT/metrics} in Prometheus text format. */
public final class MetricsEndpoint implements AutoCloseable {

  private final HTTPServer http;

  private MetricsEndpoint(HTTPServer http) {
    this.http = http;
  }

  /** Listens on {@code host:port} (port 0 picks a free one). */
  public static MetricsEndpoint start(String host, int port, ServerMetrics metrics) {
    try {
      return new MetricsEndpoint(
          HTTPServer.builder()
              .hostname(host)
              .port(port)
              .registry(metrics.registry())
              .buildAndStart());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return http.getPort();
  }

  @Override
  public void close() {
    http.close();
  }
}
