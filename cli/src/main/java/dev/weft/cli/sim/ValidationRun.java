package dev.weft.cli.sim;

import dev.weft.engine.model.LoadedModel;
import dev.weft.protos.v1.InferenceGrpc;
import dev.weft.protos.v1.ModelInfo;
import dev.weft.protos.v1.ModelInfoRequest;
import dev.weft.scheduler.CacheConfig;
import dev.weft.scheduler.KvShape;
import dev.weft.scheduler.SchedulerConfig;
import dev.weft.scheduler.ServingConfig;
import dev.weft.scheduler.SwapCostModel;
import dev.weft.server.ServingOptions;
import dev.weft.server.StepLogOptions;
import dev.weft.server.WeftServer;
import dev.weft.simulator.CostModel;
import dev.weft.simulator.SimulationResult;
import dev.weft.simulator.Simulator;
import dev.weft.simulator.calibration.ModelShape;
import dev.weft.simulator.metrics.RequestTiming;
import dev.weft.simulator.metrics.ServingMetrics;
import dev.weft.simulator.workload.Workload;
import dev.weft.simulator.workload.Workloads;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.ServerBuilder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;

/**
 * One load of a validation: the workload on the live server (weft.v1.Inference over loopback gRPC,
 * a fresh server per load so no cache state carries over) and in the simulator.
 */
final class ValidationRun {

  /** What one load gave. */
  record LoadResult(
      String load,
      double rate,
      List<RequestTiming> live,
      List<RequestTiming> simulated,
      List<String> liveErrors,
      double liveWallSeconds,
      double loopCpuSeconds,
      double clientCpuSeconds,
      double grpcCpuSeconds,
      double otherCpuSeconds,
      double simWallSeconds,
      double simSpeedup,
      List<StepCheck.Row> stepCheck) {

    ServingMetrics liveMetrics() {
      return ServingMetrics.of(live);
    }

    ServingMetrics simMetrics() {
      return ServingMetrics.of(simulated);
    }
  }

  private final LoadedModel model;
  private final ServingOptions options;
  private final ServingConfig config;
  private final CostModel cost;
  private final java.nio.file.Path stepsDir;

  /**
   * @param stepsDir where each load's live step log is written ({@code steps-LOAD.csv}), or null
   */
  ValidationRun(
      LoadedModel model, ServingOptions options, CostModel cost, java.nio.file.Path stepsDir) {
    this.model = model;
    this.options = options;
    this.stepsDir = stepsDir;
    this.config = configFor(LiveEngine.shapeOf(model.name(), model.config()), options);
    this.cost = cost;
  }

  ServingConfig config() {
    return config;
  }

  /** The serving loop's config as the server computes it from its options (float32 KV). */
  static ServingConfig configFor(ModelShape m, ServingOptions o) {
    KvShape kv = new KvShape(m.layers(), m.kvHeads(), m.headDim(), 4);
    int blocks = CacheConfig.blocksFor(o.kvCacheMemoryBytes(), kv, o.blockSize());
    int hostBlocks =
        (int) Math.min(Integer.MAX_VALUE, o.swapSpaceBytes() / kv.bytesPerBlock(1) / o.blockSize());
    SchedulerConfig s =
        SchedulerConfig.of(o.maxNumSeqs(), o.maxBatchedTokens(), m.context(), o.maxWaiting())
            .withMode(o.mode())
            .withPolicy(o.policy())
            .withPreemption(o.preemption());
    CacheConfig c =
        CacheConfig.of(o.blockSize(), blocks)
            .withPrefixCaching(o.prefixCaching())
            .withHostStore(hostBlocks, SwapCostModel.FREE);
    return new ServingConfig(s, c);
  }

  /**
   * The simulated capacity in requests per second: the workload's requests sent by as many
   * closed-loop clients as a batch holds.
   */
  double capacity(Workload workload) {
    Workload closed = Workloads.closedLoop(workload, config.scheduler().maxNumSeqs());
    return new Simulator(config, cost).run(closed).metrics().requestThroughput();
  }

  SimulationResult simulate(Workload workload) {
    return new Simulator(config, cost).run(workload);
  }

  LoadResult run(String load, double rate, Workload workload) throws InterruptedException {
    SimulationResult sim = simulate(workload);
    StepLogOptions steps = StepLogOptions.defaults().withCapacity(1 << 18);
    if (stepsDir != null) {
      steps = steps.withFile(stepsDir.resolve("steps-" + load + ".csv"));
    }
    WeftServer server = WeftServer.start(ServerBuilder.forPort(0), () -> model, options, steps);
    ManagedChannel channel = null;
    try {
      server.awaitLoaded(Duration.ofMinutes(5));
      channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
      ModelInfo info =
          InferenceGrpc.newBlockingStub(channel)
              .getModelInfo(ModelInfoRequest.getDefaultInstance());
      if (info.getKvCapacityBlocks() != config.cache().numBlocks()
          || info.getBlockSize() != config.cache().blockSize()
          || info.getContextWindow() != config.scheduler().maxModelLen()) {
        throw new IllegalStateException(
            "the server's KV pool ("
                + info.getKvCapacityBlocks()
                + " blocks of "
                + info.getBlockSize()
                + ") differs from the simulated one ("
                + config.cache().numBlocks()
                + " of "
                + config.cache().blockSize()
                + ")");
      }
      // Warm-up (JIT, allocator, gRPC) that the simulator has no counterpart of: not measured.
      LiveLoadClient.run(
          channel,
          Workloads.synthetic(32, 32, 8, 50, 1, 1, 12345, model.config().vocabSize()),
          600);
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long loopThread = loopThreadId();
      long loop0 = threads.getThreadCpuTime(loopThread);
      long grpc0 = grpcCpuNanos(threads);
      long sender0 = threads.getCurrentThreadCpuTime();
      long process0 = processCpuNanos();
      long wall0 = System.nanoTime();
      long firstStep = server.steps().total();
      LiveLoadClient.Result live = LiveLoadClient.run(channel, workload, 6 * 3600);
      double wall = (System.nanoTime() - wall0) / 1e9;
      double loopCpu = (threads.getThreadCpuTime(loopThread) - loop0) / 1e9;
      double senderCpu = (threads.getCurrentThreadCpuTime() - sender0) / 1e9;
      double grpcCpu = (grpcCpuNanos(threads) - grpc0) / 1e9;
      double other = (processCpuNanos() - process0) / 1e9 - loopCpu - senderCpu - grpcCpu;
      List<StepCheck.Row> check =
          StepCheck.rows(load, ServerSteps.samples(load, server.steps().since(firstStep)), cost);
      return new LoadResult(
          load,
          rate,
          live.timings(),
          sim.requests(),
          live.errors(),
          wall,
          loopCpu,
          senderCpu,
          grpcCpu,
          other,
          sim.wallNanos() / 1e9,
          sim.speedup(),
          check);
    } finally {
      if (channel != null) {
        channel.shutdownNow();
      }
      server.drainAndStop();
    }
  }

  private static long loopThreadId() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("weft-serving-loop")) {
        return t.getId();
      }
    }
    throw new IllegalStateException("the server's serving-loop thread was not found");
  }

  /** CPU of gRPC's threads (client and server side: Netty event loops, executors). */
  private static long grpcCpuNanos(ThreadMXBean threads) {
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("grpc-")) {
        sum += Math.max(0, threads.getThreadCpuTime(t.getId()));
      }
    }
    return sum;
  }

  private static long processCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return 0;
  }
}
