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
import java.util.Random;
import java.util.function.Consumer;
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
  private volatile String stopReason;

  public Worker(WorkerConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /**
   * What a process ends with: iterations run and worker 0's evaluation of the final model, its test
   * accuracy (classifiers) or held-out loss (language models); -1 where not evaluated.
   */
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
            clock);
    return config.netDelayMicros() > 0
        ? new DelayedNetwork(net, Duration.ofNanos(config.netDelayMicros() * 1000))
        : net;
  }

  private Result runServer(ControlClient control) throws IOException {
    try (PeerNetwork net = connect(null)) {
      control.register(true, config.peers().get(config.rank()), config.timeout());
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
    int perEpoch = train.size() / config.batch();
    if (perEpoch == 0) {
      throw new IllegalArgumentException(
          "batch " + config.batch() + " is larger than a worker's shard of " + train.size());
    }
    try (ClassifierModel model =
        new ClassifierModel(
            config.modelKind(), train.rows(), train.cols(), train.classes(), config.seed())) {
      return session(
          model.shapes(),
          model.initialParameters(config.seed()),
          control,
          (algo, net, startMs, sink, beats) -> {
            long iterations = train(model, algo, net, train, test, perEpoch, startMs, sink, beats);
            float[] finalParams = algo.finish();
            double accuracy =
                config.rank() == 0 ? model.accuracy(finalParams, test.pixels(), test.labels()) : -1;
            log.info("rank {} finished after {} iterations", config.rank(), iterations);
            return new Result(iterations, accuracy);
          });
    }
  }

  private Result runLanguageModel(ControlClient control) throws IOException {
    LmOptions lm = config.lm();
    LlamaWeights initial = lm.initialWeights(config.seed());
    LmData data =
        LmData.prepare(
            Path.of(config.dataset()),
            lm.loadTokenizer(initial.config().vocabSize()),
            lm,
            config.seed());
    try (LanguageModel model = new LanguageModel(initial)) {
      LanguageModelLoop loop = new LanguageModelLoop(config, clock, model, data);
      return session(
          model.shapes(),
          model.parameters(),
          control,
          (algo, net, startMs, sink, beats) -> {
            long iterations =
                loop.train(
                    algo,
                    net,
                    startMs,
                    sink,
                    iteration -> {
                      beats.iteration = iteration;
                      checkStop();
                    },
                    this::sleep);
            float[] finalParams = algo.finish();
            double heldOut = loop.finish(finalParams, iterations, startMs);
            log.info("rank {} finished after {} iterations", config.rank(), iterations);
            return new Result(iterations, -1, heldOut);
          });
    }
  }

  /** The part of a worker's run between connecting to its peers and finishing. */
  private interface SessionBody {
    Result run(
        Algorithm algo,
        PeerNetwork net,
        long startMs,
        Consumer<IterationRecord> sink,
        Heartbeats beats)
        throws IOException;
  }

  /**
   * Connects to the peers, opens the metrics sinks and the algorithm, registers with the
   * coordinator (which agrees the start time) and runs {@code body} under heartbeats.
   */
  private Result session(
      ParameterShapes shapes, float[] initial, ControlClient control, SessionBody body)
      throws IOException {
    try (PeerNetwork net = connect(shapes);
        WorkerMetrics prom = new WorkerMetrics(config.rank(), config.algo(), config.metricsPort());
        MetricsCsv csv =
            new MetricsCsv(
                Path.of(config.outDir()).resolve("metrics-rank-" + config.rank() + ".csv"));
        Algorithm algo = Algorithms.worker(config.algorithm(), net, initial)) {
      long startMs = control.register(false, config.peers().get(config.rank()), config.timeout());
      Heartbeats beats = new Heartbeats(control, net);
      beats.start();
      try {
        Consumer<IterationRecord> sink =
            r -> {
              csv.append(r);
              prom.record(r);
              control.report(r);
            };
        return body.run(algo, net, startMs, sink, beats);
      } finally {
        beats.stop();
      }
    }
  }

  private void checkStop() {
    if (stopReason != null) {
      throw new StopRequestedException("rank " + config.rank() + " stopped: " + stopReason);
    }
  }

  private long train(
      ClassifierModel model,
      Algorithm algo,
      PeerNetwork net,
      ImageDataset train,
      ImageDataset test,
      int perEpoch,
      long startMs,
      Consumer<IterationRecord> sink,
      Heartbeats beats) {
    int b = config.batch();
    int px = train.imageSize();
    float[] x = new float[b * px];
    int[] y = new int[b];
    float[] grad = new float[model.size()];
    SlowdownPolicy slow = config.slowdownPolicy();
    long iteration = 0;
    long limit = config.maxIterations() > 0 ? config.maxIterations() : Long.MAX_VALUE;
    for (int epoch = 0; epoch < config.epochs() && iteration < limit; epoch++) {
      int[] order =
          permutation(train.size(), new Random(config.seed() * 31 + epoch * 997L + config.rank()));
      for (int i = 0; i < perEpoch && iteration < limit; i++, iteration++) {
        beats.iteration = iteration;
        checkStop();
        for (int k = 0; k < b; k++) {
          int idx = order[i * b + k];
          System.arraycopy(train.pixels(), idx * px, x, k * px, px);
          y[k] = train.labels()[idx];
        }
        long t0 = clock.nanoTime();
        float loss = model.lossAndGradient(algo.parameters(), x, y, grad);
        long t1 = clock.nanoTime();
        sleep(slow.extra(Duration.ofNanos(t1 - t0)));
        long t2 = clock.nanoTime();
        algo.step(iteration, grad);
        long t3 = clock.nanoTime();
        sink.accept(
            new IterationRecord(
                config.rank(),
                iteration,
                epoch,
                (System.currentTimeMillis() - startMs) / 1000.0,
                loss,
                (t2 - t0) / 1e9,
                (t3 - t2) / 1e9,
                net.bytesSent()));
      }
      if (config.targetAccuracy() > 0) {
        // Synchronous algorithms hold identical parameters on every worker, so every worker
        // reaches the same decision at the same epoch; asynchronous ones tolerate differences.
        double acc = model.accuracy(algo.parameters(), test.pixels(), test.labels());
        log.info("rank {} epoch {} test accuracy {}", config.rank(), epoch, acc);
        if (acc >= config.targetAccuracy()) {
          return iteration;
        }
      }
    }
    return iteration;
  }

  private void sleep(Duration d) {
    try {
      clock.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StopRequestedException("interrupted during injected slowdown");
    }
  }

  static int[] permutation(int n, Random rnd) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
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
        String reason = control.heartbeat(iteration);
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
