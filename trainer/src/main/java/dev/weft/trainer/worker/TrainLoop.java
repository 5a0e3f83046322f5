package dev.weft.trainer.worker;

import dev.weft.data.mnist.ImageDataset;
import dev.weft.trainer.algo.Algorithm;
import dev.weft.trainer.comm.Clock;
import dev.weft.trainer.comm.PeerNetwork;
import dev.weft.trainer.comm.StopRequestedException;
import dev.weft.trainer.metrics.AccuracyCurve;
import dev.weft.trainer.metrics.IterationRecord;
import dev.weft.trainer.model.ClassifierModel;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's training loop, shared by worker JVMs and simulated workers: compute a gradient on the
 * algorithm's parameters (plus any injected slowdown), hand it to the algorithm, record metrics; at
 * each epoch's end optionally test against the target accuracy. What differs between real and
 * simulated runs (how compute time is accounted, what "now" is) comes in through {@link Timing}.
 */
public final class TrainLoop {

  private static final Logger log = LoggerFactory.getLogger(TrainLoop.class);

  /** How a run accounts for time. */
  public interface Timing {
    /**
     * The compute time to charge for iteration {@code iteration}'s gradient, which took {@code
     * measured} of wall time. Real runs charge what they measured; simulations charge a modelled
     * time and sleep it on the virtual clock.
     */
    Duration compute(long iteration, Duration measured);

    /** Called after each test-set evaluation (simulations charge its modelled cost). */
    void evaluated();

    /** Seconds since the run's start, for metrics. */
    double elapsedSeconds();
  }

  /** The real-run timing: measured compute, wall-clock elapsed time since {@code startMs}. */
  public static Timing wallClock(long startMs) {
    return new Timing() {
      @Override
      public Duration compute(long iteration, Duration measured) {
        return measured;
      }

      @Override
      public void evaluated() {}

      @Override
      public double elapsedSeconds() {
        return (System.currentTimeMillis() - startMs) / 1000.0;
      }
    };
  }

  private final WorkerConfig config;
  private final ClassifierModel model;
  private final Algorithm algo;
  private final PeerNetwork net;
  private final ImageDataset train;
  private final ImageDataset test;
  private final Timing timing;
  private final Consumer<IterationRecord> sink;
  private final LongConsumer beforeIteration;

  /** Rank 0's parameters every {@code accuracyEvery} iterations, evaluated after training. */
  private final List<Snapshot> snapshots = new ArrayList<>();

  private record Snapshot(long iteration, double seconds, float[] parameters) {}

  /**
   * @param beforeIteration runs before each iteration (heartbeat bookkeeping, stop checks); may
   *     throw to end the run
   */
  public TrainLoop(
      WorkerConfig config,
      ClassifierModel model,
      Algorithm algo,
      PeerNetwork net,
      ImageDataset train,
      ImageDataset test,
      Timing timing,
      Consumer<IterationRecord> sink,
      LongConsumer beforeIteration) {
    this.config = config;
    this.model = model;
    this.algo = algo;
    this.net = net;
    this.train = train;
    this.test = test;
    this.timing = timing;
    this.sink = sink;
    this.beforeIteration = beforeIteration;
  }

  /** Iterations per epoch for this worker's shard; fails if a batch does not fit. */
  public static int perEpoch(ImageDataset shard, int batch) {
    int perEpoch = shard.size() / batch;
    if (perEpoch == 0) {
      throw new IllegalArgumentException(
          "batch " + batch + " is larger than a worker's shard of " + shard.size());
    }
    return perEpoch;
  }

  /**
   * Runs iterations {@code start ..} (0, or where a resumed checkpoint left off); returns the
   * iteration count reached.
   */
  public long run(long start) {
    Clock clock = net.clock();
    int perEpoch = perEpoch(train, config.batch());
    int b = config.batch();
    int px = train.imageSize();
    float[] x = new float[b * px];
    int[] y = new int[b];
    float[] grad = new float[model.size()];
    SlowdownPolicy slow = config.slowdownPolicy();
    Recovery recovery = config.recovery();
    long iteration = start;
    long limit = config.maxIterations() > 0 ? config.maxIterations() : Long.MAX_VALUE;
    double snapshotPeriod = recovery.snapshotSeconds();
    double nextSnapshot = snapshotPeriod;
    for (int epoch = (int) (start / perEpoch);
        epoch < config.epochs() && iteration < limit;
        epoch++) {
      int[] order =
          permutation(train.size(), new Random(config.seed() * 31 + epoch * 997L + config.rank()));
      int first = epoch == start / perEpoch ? (int) (start % perEpoch) : 0;
      for (int i = first; i < perEpoch && iteration < limit; i++, iteration++) {
        if (iteration == recovery.killAtIteration()) {
          throw new WorkerKilledException(config.rank(), iteration);
        }
        beforeIteration.accept(iteration);
        for (int k = 0; k < b; k++) {
          int idx = order[i * b + k];
          System.arraycopy(train.pixels(), idx * px, x, k * px, px);
          y[k] = train.labels()[idx];
        }
        long t0 = clock.nanoTime();
        long w0 = System.nanoTime();
        float loss = model.lossAndGradient(algo.parameters(), x, y, grad);
        DivergedException.check(config.rank(), iteration, "loss", loss, "try a lower --lr");
        Duration compute = timing.compute(iteration, Duration.ofNanos(System.nanoTime() - w0));
        sleep(clock, slow.extra(compute));
        long t2 = clock.nanoTime();
        algo.step(iteration, grad);
        long t3 = clock.nanoTime();
        if (recovery.checkpointEvery() > 0 && (iteration + 1) % recovery.checkpointEvery() == 0) {
          Checkpoints.write(
              java.nio.file.Path.of(config.outDir()),
              config.rank(),
              iteration + 1,
              algo.parameters());
        }
        double now = timing.elapsedSeconds();
        if (snapshotPeriod > 0 && now >= nextSnapshot) {
          snapshot(iteration + 1, now);
          nextSnapshot = (Math.floor(now / snapshotPeriod) + 1) * snapshotPeriod;
        }
        if (config.accuracyEvery() > 0
            && config.rank() == 0
            && (iteration + 1) % config.accuracyEvery() == 0) {
          snapshots.add(new Snapshot(iteration + 1, now, algo.parameters().clone()));
        }
        sink.accept(
            new IterationRecord(
                config.rank(),
                iteration,
                epoch,
                now,
                loss,
                (t2 - t0) / 1e9,
                (t3 - t2) / 1e9,
                net.bytesSent()));
      }
      if (config.targetAccuracy() > 0) {
        // Synchronous algorithms hold identical parameters on every worker, so every worker
        // reaches the same decision at the same epoch; asynchronous ones tolerate differences.
        double acc = model.accuracy(algo.parameters(), test.pixels(), test.labels());
        timing.evaluated();
        log.info("rank {} epoch {} test accuracy {}", config.rank(), epoch, acc);
        if (acc >= config.targetAccuracy()) {
          break;
        }
      }
    }
    if (snapshotPeriod > 0) {
      // The model this worker ends with, so that the history reaches its last iteration.
      snapshot(iteration, timing.elapsedSeconds());
    }
    return iteration;
  }

  private void snapshot(long iteration, double elapsed) {
    ParameterSnapshots.write(
        java.nio.file.Path.of(config.outDir()),
        config.rank(),
        iteration,
        elapsed,
        algo.parameters());
  }

  /**
   * Writes {@code OUT/accuracy.csv}: the test accuracy of each kept snapshot (rank 0 with {@code
   * --accuracy-every}; nothing otherwise). Called after training, so evaluation costs no run time.
   */
  public void writeAccuracyCurve() throws IOException {
    if (snapshots.isEmpty()) {
      return;
    }
    List<AccuracyCurve.Point> points = new ArrayList<>();
    for (Snapshot s : snapshots) {
      points.add(
          new AccuracyCurve.Point(
              s.iteration(),
              s.seconds(),
              model.accuracy(s.parameters(), test.pixels(), test.labels())));
    }
    snapshots.clear();
    AccuracyCurve.write(Path.of(config.outDir()).resolve(AccuracyCurve.FILE), points);
  }

  private static void sleep(Clock clock, Duration d) {
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
}
