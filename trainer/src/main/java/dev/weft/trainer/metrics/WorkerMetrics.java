package dev.weft.trainer.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;

/**
 * A worker's Prometheus metrics, served on its own port (own registry, so several workers can share
 * a JVM in tests).
 */
public final class WorkerMetrics implements AutoCloseable {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter iterations;
  private final Gauge loss;
  private final Counter computeSeconds;
  private final Counter waitSeconds;
  private final Gauge bytesSent;
  private final String rank;
  private final String algo;
  private final HTTPServer server;

  public WorkerMetrics(int rank, String algo, int port) throws IOException {
    this.rank = Integer.toString(rank);
    this.algo = algo;
    iterations =
        Counter.builder()
            .name("weft_trainer_iterations_total")
            .help("Training iterations completed")
            .labelNames("rank", "algo")
            .register(registry);
    loss =
        Gauge.builder()
            .name("weft_trainer_loss")
            .help("Training loss of the latest iteration")
            .labelNames("rank", "algo")
            .register(registry);
    computeSeconds =
        Counter.builder()
            .name("weft_trainer_compute_seconds_total")
            .help("Time in forward/backward, injected slowdown included")
            .labelNames("rank", "algo")
            .register(registry);
    waitSeconds =
        Counter.builder()
            .name("weft_trainer_wait_seconds_total")
            .help("Time spent synchronizing with peers")
            .labelNames("rank", "algo")
            .register(registry);
    bytesSent =
        Gauge.builder()
            .name("weft_trainer_sent_bytes")
            .help("Payload bytes sent to peers")
            .labelNames("rank", "algo")
            .register(registry);
    server = port > 0 ? HTTPServer.builder().port(port).registry(registry).buildAndStart() : null;
  }

  public void record(IterationRecord r) {
    iterations.labelValues(rank, algo).inc();
    loss.labelValues(rank, algo).set(r.loss());
    computeSeconds.labelValues(rank, algo).inc(r.computeSeconds());
    waitSeconds.labelValues(rank, algo).inc(r.waitSeconds());
    bytesSent.labelValues(rank, algo).set(r.bytesSent());
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
