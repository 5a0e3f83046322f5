package dev.weft.cli;

import dev.weft.engine.model.LoadedModel;
import dev.weft.engine.model.ModelSource;
import dev.weft.server.MetricsEndpoint;
import dev.weft.server.ServingOptions;
import dev.weft.server.StepLogOptions;
import dev.weft.server.WeftServer;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft serve}: the gRPC inference server, until SIGTERM (which drains it). */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve a model over gRPC (weft.v1.Inference, grpc.health.v1, reflection) with continuous"
          + " batching and a paged KV cache; Prometheus metrics on --metrics-port.",
      "SIGTERM drains: no new requests, running ones finish (up to --drain-timeout)."
    })
final class ServeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ModelOptions modelOptions = new ModelOptions();

  @Mixin ServerFlags serverFlags = new ServerFlags();

  @Option(
      names = "--host",
      defaultValue = "0.0.0.0",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "50051",
      description = "gRPC port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--metrics-port",
      defaultValue = "9400",
      description = "Prometheus metrics port, /metrics; -1 disables (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(
      names = "--step-log",
      paramLabel = "FILE",
      description =
          "Also append every step's record (shape; schedule, forward, sample, apply, stream times)"
              + " to FILE as CSV.")
  Path stepLog;

  @Option(
      names = "--step-records",
      defaultValue = "" + StepLogOptions.DEFAULT_CAPACITY,
      paramLabel = "N",
      description =
          "Most recent step records kept in memory; 0 keeps none (default: ${DEFAULT-VALUE}).")
  int stepRecords;

  @Override
  public Integer call() throws InterruptedException {
    ServingOptions options = serverFlags.toOptions();
    StepLogOptions steps = new StepLogOptions(stepRecords, Optional.ofNullable(stepLog));
    ModelSource source = modelOptions.resolve(); // a missing model fails here, before listening
    PrintWriter err = spec.commandLine().getErr();
    WeftServer server =
        WeftServer.start(
            NettyServerBuilder.forAddress(new InetSocketAddress(host, port)),
            () -> LoadedModel.load(source),
            options,
            steps);
    server.stopOnShutdownSignal();
    MetricsEndpoint metrics =
        metricsPort >= 0 ? MetricsEndpoint.start(host, metricsPort, server.metrics()) : null;
    err.printf(
        "weft serve: %s on %s:%d (weft.v1.Inference, grpc.health.v1, reflection)%s; loading...%n",
        source.name(),
        host,
        server.port(),
        metrics != null ? "; metrics on http://" + host + ":" + metrics.port() + "/metrics" : "");
    err.flush();
    try {
      server.awaitLoaded(Duration.ofMinutes(30));
    } catch (RuntimeException e) {
      server.drainAndStop();
      if (metrics != null) {
        metrics.close();
      }
      throw e;
    }
    err.println("weft serve: ready (health SERVING)");
    err.flush();
    server.awaitTermination();
    return 0;
  }
}
