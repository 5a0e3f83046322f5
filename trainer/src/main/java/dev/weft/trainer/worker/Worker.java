package dev.weft.trainer.worker;

import dev.weft.data.mnist.FashionMnist;
import dev.weft.data.mnist.ImageDataset;
import dev.weft.engine.model.LlamaWeights;
import dev.weft.trainer.algo.Algorithm;
import dev.weft.trainer.algo.Algorithms;
import dev.weft.trainer.comm.Clock;
import dev.weft.trainer.comm.PeerNetwork;
import dev.weft.trainer.comm.StopRequestedException;
import dev.weft.trainer.grpc.GrpcPeerNetwork;
import dev.weft.trainer.grpc.PeerAddress;
import dev.weft.trainer.grpc.PeerTls;
import dev.weft.trainer.lm.LmData;
import dev.weft.trainer.lm.LmOptions;
import dev.weft.trainer.metrics.IterationRecord;
import dev.weft.trainer.metrics.MetricsCsv;
import dev.weft.trainer.metrics.WorkerMetrics;
import dev.weft.trainer.model.ClassifierModel;
import dev.weft.trainer.model.LanguageModel;
import dev.weft.trainer.model.ModelKind;
import dev.weft.trainer.model.ParameterShapes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process of a training run. A worker loads its data shard and the model, then loops: compute a
 * gradient on the algorithm's parameters (plus any injected slowdown), hand it to the algorithm,
 * record metrics. A parameter server only runs its loop. The transport and clock are the real ones
 * here; the algorithm code is the same under simulation.
 */
public final class Worker {

  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  private final WorkerConfig config;
  private final Clock clock;
  private final PeerTls tls;
  private volatile String stopReason;

  /** Ranks the coordinator reported dead (heartbeat replies). */
  private final Set<Integer> dead = ConcurrentHashMap.newKeySet();

  private Checkpoints.Checkpoint resumed;

  public Worker(WorkerConfig config, Clock clock) {
    this(config, clock, null);
  }

  /** A process whose peer connections use mutual TLS when {@code tls} is not null. */
  public Worker(WorkerConfig config, Clock clock, PeerTls tls) {
    this.config = config;
    this.clock = clock;
    this.tls = tls;
  }

  /** What a process ends with: iterations run and (workers) the final test accuracy. */
  public record Result(long iterations, double testAccuracy, double heldOutLoss) {
    public Result(long iterations, double testAccuracy) {
      this(iterations, testAccuracy, -1);
    }
  }

  /** Runs to completion, reporting to the coordinator; every failure is reported, then thrown. */
  public Result run() throws IOException {
    try (ControlClient control =
        new ControlClient(config.runId(), config.rank(), config.coordinator())) {
      try {
        Result r = config.isServer() ? runServer(control) : runWorker(control);
        control.finish(true, "", r.testAccuracy(), r.iterations());
        return r;
      } catch (WorkerKilledException e) {
        // Fault injection: die the way a crashed JVM does — no report, no orderly stream close —
        // so that peers see what they would see after a real crash.
        System.err.println("worker failed: " + e.getMessage());
        System.err.flush();
        Runtime.getRuntime().halt(137);
        throw e;
      } catch (IOException | RuntimeException e) {
        try {
          control.finish(false, String.valueOf(e.getMessage()), -1, 0);
        } catch (RuntimeException ignored) {
          // The coordinator may be gone too; the original error matters more.
        }
        throw e;
      }
    }
  }

  private List<PeerAddress> peers() {
    return config.peers().stream().map(PeerAddress::parse).toList();
  }

  private PeerNetwork connect(ParameterShapes shapes) throws IOException {
    PeerNetwork net =
        GrpcPeerNetwork.start(
            config.runId(),
            config.rank(),
            peers(),
            shapes,
            config.timeout(),
            config.timeout(),
            clock,
            tls);
    net = new ReportedDeathsNetwork(net, dead);
    return config.netDelayMicros() > 0
        ? new DelayedNetwork(net, Duration.ofNanos(config.netDelayMicros() * 1000))
        : net;
  }

  /**
   * Where training starts: a checkpoint when resuming, else {@code fresh}'s parameters (the seeded
   * initialization, or a language model's starting weights).
   */
  private float[] startParameters(int size, Supplier<float[]> fresh) {
    resumed = Checkpoints.resume(config, size);
    if (resumed != null) {
      log.info("rank {} resumes at iteration {}", config.rank(), resumed.iteration());
      return resumed.parameters();
    }
    return fresh.get();
  }

  /** The iteration {@link #startParameters} starts from. */
  private long startIteration() {
    return resumed != null ? resumed.iteration() : 0;
  }

  private Result runServer(ControlClient control) throws IOException {
    try (PeerNetwork net = connect(null)) {
      long registeredMs =
          control.register(true, config.peers().get(config.rank()), config.timeout());
      warmUp(net, JitWarmup.server(config.algorithm()), registeredMs);
      Algorithms.runServer(config.algorithm(), net);
      return new Result(0, -1);
    }
  }

  private Result runWorker(ControlClient control) throws IOException {
    if (config.modelKind() == ModelKind.LLAMA) {
      return runLanguageModel(control);
    }
    Path dataDir = Path.of(config.dataset());
    ImageDataset train = FashionMnist.train(dataDir).shard(config.rank(), config.workers());
    ImageDataset test = FashionMnist.test(dataDir);
    TrainLoop.perEpoch(train, config.batch());
    try (ClassifierModel model =
            new ClassifierModel(
                config.modelKind(), train.rows(), train.cols(), train.classes(), config.seed());
        PeerNetwork net = connect(model.shapes());
        WorkerMetrics prom = new WorkerMetrics(config.rank(), config.algo(), config.metricsPort());
        MetricsCsv csv =
            new MetricsCsv(
                Path.of(config.outDir()).resolve("metrics-rank-" + config.rank() + ".csv"))) {
      float[] start = startParameters(model.size(), () -> model.initialParameters(config.seed()));
      long registeredMs =
          control.register(false, config.peers().get(config.rank()), config.timeout());
      Heartbeats beats = new Heartbeats(control, net);
      beats.start();
      try {
        long startMs =
            warmUp(net, workerShare(start, firstBatchGradient(model, train)), registeredMs);
        // The real run's algorithm starts after the warm-up, so that none of its waits (e.g. an
        // AD-PSGD passive's idle timeout) runs during it.
        try (Algorithm algo = Algorithms.worker(config.algorithm(), net, start)) {
          Consumer<IterationRecord> sink = sink(csv, prom, control);
          LongConsumer beforeIteration = beforeIteration(beats);
          TrainLoop loop =
              new TrainLoop(
                  config,
                  model,
                  algo,
                  net,
                  train,
                  test,
                  TrainLoop.wallClock(startMs),
                  sink,
                  beforeIteration);
          long iterations = loop.run(startIteration());
          float[] finalParams = algo.finish();
          loop.writeAccuracyCurve();
          double accuracy =
              config.rank() == 0 ? model.accuracy(finalParams, test.pixels(), test.labels()) : -1;
          log.info("rank {} finished after {} iterations", config.rank(), iterations);
          return new Result(iterations, accuracy);
        }
      } finally {
        beats.stop();
      }
    }
  }

  /** Where a worker's iteration records go: its CSV, Prometheus and the coordinator. */
  private static Consumer<IterationRecord> sink(
      MetricsCsv csv, WorkerMetrics prom, ControlClient control) {
    return r -> {
      csv.append(r);
      prom.record(r);
      control.report(r);
    };
  }

  /** Before each iteration: tell the heartbeats where we are, stop if the coordinator said so. */
  private LongConsumer beforeIteration(Heartbeats beats) {
    return iteration -> {
      beats.iteration = iteration;
      if (stopReason != null) {
        throw new StopRequestedException("rank " + config.rank() + " stopped: " + stopReason);
      }
    };
  }

  /**
   * {@link JitWarmup} with this process's settings; every process of the run must call it.
   *
   * @param share this process's part of the warm-up run
   * @return the run's common start, replacing the coordinator's {@code registeredMs}
   */
  private long warmUp(PeerNetwork net, JitWarmup.Share share, long registeredMs) {
    return JitWarmup.run(
        net,
        config.warmupIterations(),
        share,
        registeredMs,
        config.chunkElements(),
        config.timeout());
  }

  /** A worker's part of the warm-up: the algorithm's copy, from the real run's start. */
  private JitWarmup.Share workerShare(float[] start, JitWarmup.Gradient gradient) {
    return JitWarmup.worker(config.algorithm(), start, config.warmupIterations(), gradient);
  }

  /** Warm-up gradients: forward/backward passes on the shard's first batch. */
  private JitWarmup.Gradient firstBatchGradient(ClassifierModel model, ImageDataset train) {
    int batch = Math.min(train.size(), config.batch());
    float[] x = java.util.Arrays.copyOf(train.pixels(), batch * train.imageSize());
    int[] y = java.util.Arrays.copyOf(train.labels(), batch);
    return (params, grad) -> model.lossAndGradient(params, x, y, grad);
  }

  /** Language models: the same frame as {@link #runWorker}'s, around {@link LanguageModelLoop}. */
  private Result runLanguageModel(ControlClient control) throws IOException {
    LmOptions lm = config.lm();
    LlamaWeights initial = lm.initialWeights(config.seed());
    LmData data =
        LmData.prepare(
            Path.of(config.dataset()),
            lm.loadTokenizer(initial.config().vocabSize()),
            lm,
            config.seed());
    try (LanguageModel model = new LanguageModel(initial);
        PeerNetwork net = connect(model.shapes());
        WorkerMetrics prom = new WorkerMetrics(config.rank(), config.algo(), config.metricsPort());
        MetricsCsv csv =
            new MetricsCsv(
                Path.of(config.outDir()).resolve("metrics-rank-" + config.rank() + ".csv"))) {
      LanguageModelLoop loop = new LanguageModelLoop(config, clock, model, data);
      float[] start = startParameters(model.size(), model::parameters);
      long registeredMs =
          control.register(false, config.peers().get(config.rank()), config.timeout());
      Heartbeats beats = new Heartbeats(control, net);
      beats.start();
      try {
        // Every process must take its part in the warm-up (the others wait for it); a language
        // model warms up its exchange only, on zero gradients.
        long startMs = warmUp(net, workerShare(start, (params, grad) -> {}), registeredMs);
        try (Algorithm algo = Algorithms.worker(config.algorithm(), net, start)) {
          long iterations =
              loop.train(
                  startIteration(),
                  algo,
                  net,
                  startMs,
                  sink(csv, prom, control),
                  beforeIteration(beats),
                  d -> {
                    try {
                      clock.sleep(d);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      throw new StopRequestedException("interrupted during injected slowdown");
                    }
                  });
          float[] finalParams = algo.finish();
          double heldOut = loop.finish(finalParams, iterations, startMs);
          log.info("rank {} finished after {} iterations", config.rank(), iterations);
          return new Result(iterations, -1, heldOut);
        }
      } finally {
        beats.stop();
      }
    }
  }

  /**
   * Heartbeats once a second; when the coordinator says stop, closes the network so that any wait
   * on a peer ends at once instead of at its timeout.
   */
  private final class Heartbeats {
    private final ControlClient control;
    private final PeerNetwork net;
    private final Thread thread;
    volatile long iteration;
    private volatile boolean running = true;

    Heartbeats(ControlClient control, PeerNetwork net) {
      this.control = control;
      this.net = net;
      this.thread = new Thread(this::loop, "heartbeat-" + config.rank());
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    private void loop() {
      while (running) {
        String reason = control.heartbeat(iteration, dead);
        if (reason != null && running) {
          stopReason = reason;
          log.warn("rank {} asked to stop: {}", config.rank(), reason);
          net.close();
          return;
        }
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    void stop() {
      running = false;
      thread.interrupt();
    }
  }
}
