package dev.weft.cli;

import dev.weft.engine.model.LoadedModel;
import dev.weft.engine.model.ModelSource;
import dev.weft.protos.v1.InferenceGrpc;
import dev.weft.protos.v1.ModelInfo;
import dev.weft.protos.v1.ModelInfoRequest;
import dev.weft.server.ServingOptions;
import dev.weft.server.WeftServer;
import dev.weft.simulator.metrics.ServingMetrics;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weft bench serve}: vLLM benchmark_serving's measurements against a Weft server, either one
 * already running ({@code --server}) or one started here with serve's flags ({@code --model}),
 * which also reports the server's side: batch sizes, KV waste, ideal throughput from step costs.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark a Weft server with a trace or a synthetic workload (vLLM benchmark_serving"
          + " metrics). The last two lines printed are 'request throughput: X req/s' and"
          + " 'output token throughput: X tok/s'."
    })
final class BenchServeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--server", paramLabel = "HOST:PORT", description = "A running server.")
  String server;

  @Option(
      names = "--model",
      paramLabel = "NAME|PATH",
      description = "Start a server for this model here, with serve's flags.")
  String model;

  @Mixin ServerFlags serverFlags = new ServerFlags();

  @Option(names = "--trace", paramLabel = "PATH", description = "Azure LLM trace CSV to replay.")
  Path trace;

  @Option(
      names = "--time-scale",
      defaultValue = "1",
      description = "Replay the trace this many times faster (default: ${DEFAULT-VALUE}).")
  double timeScale;

  @Option(
      names = "--synthetic",
      paramLabel = "PROMPT:OUTPUT",
      description = "Synthetic requests of PROMPT tokens generating OUTPUT tokens.")
  String synthetic;

  @Option(
      names = "--rate",
      defaultValue = "inf",
      description = "Poisson arrival rate of --synthetic, requests/s; inf sends all at once.")
  String rate;

  @Option(
      names = "--shared-prefix",
      defaultValue = "0",
      description = "Leading prompt tokens shared by every --synthetic request.")
  int sharedPrefix;

  @Option(names = "--max-requests", defaultValue = "100", description = "Requests to send.")
  int maxRequests;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the prompts and arrivals.")
  long seed;

  @Option(names = "--out", paramLabel = "DIR", description = "Write CSV and Markdown here.")
  Path out;

  @Option(names = "--label", description = "Name of this run in the results (default: derived).")
  String label;

  @Override
  public Integer call() throws InterruptedException, IOException {
    if ((server == null) == (model == null)) {
      throw new IllegalArgumentException("give exactly one of --server HOST:PORT or --model M");
    }
    if ((trace == null) == (synthetic == null)) {
      throw new IllegalArgumentException("give exactly one of --trace PATH or --synthetic P:O");
    }
    PrintWriter err = spec.commandLine().getErr();
    ServingOptions options = serverFlags.toOptions();
    StepStats steps = new StepStats();
    WeftServer started = null;
    ServerAddress address;
    if (model != null) {
      ModelSource source = ModelOptions.searchPath().resolve(model);
      started =
          WeftServer.start(
              NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)),
              () -> LoadedModel.load(source),
              options);
      started.metrics().onStep(steps::add);
      err.println("weft bench serve: loading " + source.name() + "...");
      started.awaitLoaded(Duration.ofMinutes(30));
      address = new ServerAddress("127.0.0.1", started.port());
    } else {
      address = ServerAddress.parse(server);
    }
    ManagedChannel channel = address.channel();
    BenchLoad.Outcome outcome;
    BenchWorkload workload;
    ModelInfo info;
    try {
      info =
          InferenceGrpc.newBlockingStub(channel)
              .getModelInfo(ModelInfoRequest.getDefaultInstance());
      workload = workload(info);
      err.println("weft bench serve: " + workload.description);
      warmUp(channel);
      outcome = BenchLoad.run(channel, workload, err);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      if (started != null) {
        started.drainAndStop();
      }
    }
    ServingMetrics metrics = ServingMetrics.of(outcome.timings());
    String name = label != null ? label : defaultLabel(info);
    BenchReport report =
        new BenchReport(
            name,
            commandLine(),
            workload,
            info,
            outcome.timings(),
            outcome.failures(),
            started != null ? steps : null);
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.print(report.text());
    if (out != null) {
      report.write(out);
      stdout.println("results written to " + out.toAbsolutePath().normalize());
    }
    stdout.printf(Locale.ROOT, "request throughput: %.3f req/s%n", metrics.requestThroughput());
    stdout.printf(Locale.ROOT, "output token throughput: %.2f tok/s%n", metrics.outputThroughput());
    stdout.flush();
    return outcome.failures().isEmpty() ? 0 : 1;
  }

  private BenchWorkload workload(ModelInfo info) {
    if (trace != null) {
      return BenchWorkload.trace(
          trace, timeScale, maxRequests, info.getContextWindow(), info.getVocabSize(), seed);
    }
    String[] parts = synthetic.split(":");
    if (parts.length != 2) {
      throw new IllegalArgumentException(
          "invalid --synthetic '" + synthetic + "': expected PROMPT:OUTPUT, e.g. 32:256");
    }
    try {
      return BenchWorkload.synthetic(
          Integer.parseInt(parts[0]),
          Integer.parseInt(parts[1]),
          parseRate(),
          maxRequests,
          sharedPrefix,
          info.getVocabSize(),
          seed);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid --synthetic '" + synthetic + "': not numbers");
    }
  }

  private double parseRate() {
    if (rate.equalsIgnoreCase("inf")) {
      return Double.POSITIVE_INFINITY;
    }
    try {
      return Double.parseDouble(rate);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid --rate '" + rate + "': a number or inf");
    }
  }

  /** A few requests first, so that JIT compilation is not measured. */
  private static void warmUp(ManagedChannel channel) throws InterruptedException {
    BenchWorkload warm = BenchWorkload.synthetic(8, 8, Double.POSITIVE_INFINITY, 4, 0, 100, -1);
    BenchLoad.run(channel, warm, new PrintWriter(java.io.OutputStream.nullOutputStream()));
  }

  private String defaultLabel(ModelInfo info) {
    String kind = trace != null ? "trace" : "synthetic-" + synthetic.replace(':', 'x');
    String mode = model != null ? "-" + info.getScheduler() + "-seqs" + info.getMaxNumSeqs() : "";
    return kind + mode + (sharedPrefix > 0 ? "-prefix" + sharedPrefix : "");
  }

  private List<String> commandLine() {
    return spec.commandLine().getParseResult().originalArgs();
  }
}
