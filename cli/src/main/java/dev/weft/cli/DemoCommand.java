package dev.weft.cli;

import dev.weft.engine.model.LoadedModel;
import dev.weft.engine.model.ModelSource;
import dev.weft.protos.v1.GenerateRequest;
import dev.weft.protos.v1.GenerateResponse;
import dev.weft.protos.v1.InferenceGrpc;
import dev.weft.protos.v1.SamplingOptions;
import dev.weft.server.MetricsEndpoint;
import dev.weft.server.ServingOptions;
import dev.weft.server.WeftServer;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weft demo}: Weft's main job in one command. Starts a real server on loopback, streams a
 * generation through a real gRPC client, sends a burst of concurrent requests so that batching
 * shows, prints a summary of the server's Prometheus metrics, and stops it gracefully.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start a gRPC server on loopback, stream a generation through a gRPC client, send a burst"
          + " of concurrent requests, print a metrics summary, stop.",
      "Greedy by default: from the empty prompt stories260K tells its published story."
    })
final class DemoCommand implements Callable<Integer> {

  private static final String[] BURST_PROMPTS = {
    "Once upon a time",
    "The little dog",
    "Tom and Lily went to the park",
    "One day, a big bear",
    "Mia looked at the sky and said",
    "The sun was shining and",
    "Ben had a red ball",
    "Lucy wanted to play"
  };

  @Option(
      names = "--model",
      defaultValue = "stories260K",
      paramLabel = "NAME|PATH",
      description = "Model name or path (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--prompt",
      defaultValue = "",
      description = "Prompt of the streamed generation (default: empty, start from BOS).")
  String prompt;

  @Option(names = "--max-tokens", defaultValue = "256", description = "Tokens to stream.")
  int maxTokens;

  @Option(names = "--temperature", defaultValue = "0", description = "0 is greedy (default).")
  double temperature;

  @Option(
      names = "--burst",
      defaultValue = "16",
      description = "Concurrent requests sent after the stream (default: ${DEFAULT-VALUE}).")
  int burst;

  @Override
  public Integer call() throws InterruptedException {
    if (burst < 0 || maxTokens < 1) {
      throw new IllegalArgumentException("--burst must be >= 0 and --max-tokens >= 1");
    }
    PrintStream out = System.out;
    ModelSource source = ModelOptions.searchPath().resolve(model);
    WeftServer server =
        WeftServer.start(
            NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)),
            () -> LoadedModel.load(source),
            ServingOptions.defaults());
    try (MetricsEndpoint metrics = MetricsEndpoint.start("127.0.0.1", 0, server.metrics())) {
      ServerAddress address = new ServerAddress("127.0.0.1", server.port());
      out.printf(
          "weft demo: serving %s over gRPC at %s; loading the model...%n", source.name(), address);
      server.awaitLoaded(Duration.ofMinutes(10));
      ManagedChannel channel = address.channel();
      try {
        String health =
            HealthGrpc.newBlockingStub(channel)
                .check(HealthCheckRequest.getDefaultInstance())
                .getStatus()
                .name();
        out.printf(
            "weft demo: health %s; streaming a generation through a gRPC client:%n%n", health);
        GenerateRequest request =
            GenerateRequest.newBuilder()
                .setText(prompt)
                .setMaxTokens(maxTokens)
                .setSampling(SamplingOptions.newBuilder().setTemperature(temperature).setSeed(1))
                .build();
        out.print(prompt);
        StreamedGeneration streamed =
            StreamedGeneration.stream(channel, request, Duration.ofMinutes(10), out);
        out.printf("%n%nweft demo: %s%n", streamed.summary());
        runBurst(channel, out);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      String url = "http://127.0.0.1:" + metrics.port() + "/metrics";
      printSummary(MetricsText.scrape(url), url, out);
    } finally {
      server.drainAndStop();
    }
    out.println("weft demo: server drained and stopped");
    return 0;
  }

  /** {@code burst} greedy requests at once, so that they share steps. */
  private void runBurst(ManagedChannel channel, PrintStream out) throws InterruptedException {
    if (burst == 0) {
      return;
    }
    InferenceGrpc.InferenceStub stub = InferenceGrpc.newStub(channel);
    AtomicInteger tokens = new AtomicInteger();
    List<java.util.concurrent.CountDownLatch> done = new ArrayList<>();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    long start = System.nanoTime();
    for (int i = 0; i < burst; i++) {
      java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
      done.add(latch);
      GenerateRequest request =
          GenerateRequest.newBuilder()
              .setText(BURST_PROMPTS[i % BURST_PROMPTS.length])
              .setMaxTokens(64)
              .setSampling(SamplingOptions.newBuilder().setTemperature(0.8).setSeed(i))
              .build();
      stub.generate(
          request,
          new io.grpc.stub.StreamObserver<GenerateResponse>() {
            @Override
            public void onNext(GenerateResponse r) {
              tokens.addAndGet(r.getTokenIdsCount());
            }

            @Override
            public void onError(Throwable t) {
              errors.add(t);
              latch.countDown();
            }

            @Override
            public void onCompleted() {
              latch.countDown();
            }
          });
    }
    for (java.util.concurrent.CountDownLatch latch : done) {
      latch.await(10, TimeUnit.MINUTES);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    out.printf(
        Locale.ROOT,
        "weft demo: burst of %d concurrent requests: %d tokens in %.2f s (%.1f tokens/s), %d"
            + " errors%n",
        burst,
        tokens.get(),
        seconds,
        tokens.get() / seconds,
        errors.size());
  }

  private static void printSummary(MetricsText m, String url, PrintStream out) {
    out.printf("%nmetrics summary (%s):%n", url);
    out.printf(
        Locale.ROOT,
        "  requests: %.0f ended, %.0f rejected; tokens: %.0f prompt, %.0f generated%n",
        m.get("weft_requests_ended_total"),
        m.get("weft_requests_rejected_total"),
        m.get("weft_prompt_tokens_total"),
        m.get("weft_generation_tokens_total"));
    out.printf(
        Locale.ROOT,
        "  latency means: time to first token %.1f ms, inter-token %.2f ms, end-to-end %.3f s,"
            + " queue %.1f ms%n",
        1e3 * m.mean("weft_time_to_first_token_seconds"),
        1e3 * m.mean("weft_inter_token_latency_seconds"),
        m.mean("weft_e2e_request_latency_seconds"),
        1e3 * m.mean("weft_request_queue_time_seconds"));
    out.printf(
        Locale.ROOT,
        "  steps: %.0f, mean %.2f ms, mean batch size %.2f sequences%n",
        m.get("weft_step_duration_seconds_count"),
        1e3 * m.mean("weft_step_duration_seconds"),
        m.mean("weft_batch_size"));
    double queries = m.get("weft_prefix_cache_queries_total");
    out.printf(
        Locale.ROOT,
        "  KV cache: usage now %.1f%%; prefix cache hit %.0f of %.0f prompt tokens; %.0f"
            + " preemptions%n",
        100 * m.get("weft_kv_cache_usage_ratio"),
        m.get("weft_prefix_cache_hits_total"),
        queries,
        m.get("weft_preemptions_total"));
  }
}
