package dev.weft.trainer.sim;

import dev.weft.data.mnist.FashionMnist;
import dev.weft.data.mnist.ImageDataset;
import dev.weft.trainer.algo.Algorithm;
import dev.weft.trainer.algo.AlgorithmConfig;
import dev.weft.trainer.algo.Algorithms;
import dev.weft.trainer.comm.PeerNetwork;
import dev.weft.trainer.comm.TrainingException;
import dev.weft.trainer.launch.LaunchConfig;
import dev.weft.trainer.launch.Launcher;
import dev.weft.trainer.launch.RecoveryOptions;
import dev.weft.trainer.metrics.IterationRecord;
import dev.weft.trainer.metrics.MetricsCsv;
import dev.weft.trainer.metrics.ParameterProbe;
import dev.weft.trainer.model.ClassifierModel;
import dev.weft.trainer.worker.Checkpoints;
import dev.weft.trainer.worker.TrainLoop;
import dev.weft.trainer.worker.WorkerConfig;
import dev.weft.trainer.worker.WorkerKilledException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A training run with every worker (and parameter server) simulated in this process (DESIGN
 * principle 2): the same algorithm classes and worker loop as real runs, over a {@link
 * SimulatedNetwork} on a {@link VirtualScheduler}. The gradients are real — one shared model
 * computes them for every worker in turn, so accuracy is the real algorithm's — while time is
 * virtual: compute takes the {@link ComputeProfile}'s time, messages the {@link NetworkModel}'s.
 * Writes the same {@code metrics.csv}, {@code loss.png} and {@code summary.txt} as a real run, with
 * virtual seconds as wall time.
 */
public final class SimulatedRun {

  private final LaunchConfig config;
  private final SimulationOptions options;
  private final RecoveryOptions recovery;
  private final PrintStream progress;
  private final ParameterProbe probe;

  public SimulatedRun(
      LaunchConfig config,
      SimulationOptions options,
      RecoveryOptions recovery,
      PrintStream progress) {
    this(config, options, recovery, progress, null);
  }

  /**
   * @param probe shown every worker's parameters at each multiple of its period of virtual time
   *     (null: none); it costs no virtual time
   */
  public SimulatedRun(
      LaunchConfig config,
      SimulationOptions options,
      RecoveryOptions recovery,
      PrintStream progress,
      ParameterProbe probe) {
    recovery.validate(config.workers());
    this.config = config;
    this.options = options;
    this.recovery = recovery;
    this.progress = progress;
    this.probe = probe;
  }

  /** Per-rank outcome, written only by that rank's fiber. */
  private static final class RankState {
    final List<IterationRecord> records = new ArrayList<>();
    long iterations;
    long endNanos;
    double accuracy = -1;
    long killedAt = -1;

    /** The worker's algorithm while it trains, then the parameters it ended with (for a probe). */
    Algorithm algo;

    float[] last;
    boolean done;
  }

  public Launcher.Result run() throws IOException {
    // Measure compute as a worker JVM runs it: one intra-op thread (effective only before DJL's
    // engine loads, which in the CLI it has not).
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_threads", "1");
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
    Path out = config.outDir().toAbsolutePath();
    Files.createDirectories(out);
    ImageDataset[] data = load(config.dataset());
    ImageDataset train = data[0];
    ImageDataset test = data[1];
    int workers = config.workers();
    List<ImageDataset> shards = new ArrayList<>();
    for (int r = 0; r < workers; r++) {
      ImageDataset shard = train.shard(r, workers);
      TrainLoop.perEpoch(shard, config.batch());
      shards.add(shard);
    }
    long startWall = System.nanoTime();
    try (ClassifierModel model =
        new ClassifierModel(
            config.model(), train.rows(), train.cols(), train.classes(), config.seed())) {
      ComputeProfile profile =
          options.compute() != null
              ? options.compute()
              : ComputeProfile.measure(
                  model, train, test, config.batch(), options.profileSamples());
      progress.printf(
          Locale.ROOT,
          "simulating %d workers: compute %.2f ms per iteration (x%.2f for shared cores),"
              + " evaluation %.1f ms%n",
          workers,
          profile.meanGradientMillis(),
          options.contention(workers),
          profile.evalNanos() / 1e6);
      VirtualScheduler clock = new VirtualScheduler();
      SimulatedNetwork network = new SimulatedNetwork(config.processes(), clock, options.network());
      List<String> peers = new ArrayList<>();
      for (int r = 0; r < config.processes(); r++) {
        peers.add("sim:" + r);
      }
      String runId = "sim-" + config.seed();
      List<RankState> states = new ArrayList<>();
      for (int r = 0; r < config.processes(); r++) {
        RankState state = new RankState();
        states.add(state);
        WorkerConfig wc =
            config.worker(
                r, runId, peers, "", out, 0, AlgorithmConfig.DEFAULT_CHUNK_ELEMENTS, recovery);
        PeerNetwork net = network.peer(r);
        Runnable body =
            r < workers
                ? () ->
                    runWorker(wc, network, net, model, shards.get(wc.rank()), test, profile, state)
                : () -> {
                  Algorithms.runServer(wc.algorithm(), net);
                  state.endNanos = clock.nanoTime();
                };
        clock.spawn("sim-rank-" + r, body);
      }
      if (probe != null) {
        clock.spawn("sim-probe", () -> probe(clock, states.subList(0, workers)));
      }
      List<String> errors = clock.run();
      String deaths = deaths(states);
      if (!errors.isEmpty()) {
        throw new TrainingException(
            (deaths.isEmpty() ? "" : deaths + "; the run stopped: ")
                + "simulated run failed: "
                + errors.get(0)
                + checkpointHint(out));
      }
      if (!deaths.isEmpty()) {
        progress.println(deaths + "; " + config.algo().cliName() + " carried on without it");
      }
      progress.printf(
          Locale.ROOT,
          "simulation took %.1f s of real time%n",
          (System.nanoTime() - startWall) / 1e9);
      return report(states, out);
    }
  }

  /**
   * Shows the probe every worker's parameters at each multiple of its period until all workers are
   * done. Only one fiber runs at a time, so the workers are all between clock waits meanwhile.
   */
  private void probe(VirtualScheduler clock, List<RankState> workers) {
    Duration period = Duration.ofNanos((long) (probe.periodSeconds() * 1e9));
    while (true) {
      clock.sleep(period);
      List<float[]> params = new ArrayList<>();
      boolean allDone = true;
      for (RankState s : workers) {
        allDone &= s.done;
        params.add(s.done || s.algo == null ? s.last : s.algo.parameters());
      }
      // A worker that failed before training left nothing to show.
      if (params.stream().noneMatch(p -> p == null)) {
        probe.observe(clock.nanoTime() / 1e9, params);
      }
      if (allDone) {
        return;
      }
    }
  }

  private static Path cachedDir;
  private static ImageDataset[] cached;

  /**
   * Training and test set of {@code dir}, kept from the previous simulated run of this process
   * (studies and tests run many; parsing the IDX files dominates a short simulation). Runs only
   * read the arrays.
   */
  private static synchronized ImageDataset[] load(Path dir) throws IOException {
    Path key = dir.toAbsolutePath().normalize();
    if (!key.equals(cachedDir)) {
      cached = new ImageDataset[] {FashionMnist.train(key), FashionMnist.test(key)};
      cachedDir = key;
    }
    return cached;
  }

  private String deaths(List<RankState> states) {
    List<String> d = new ArrayList<>();
    for (int r = 0; r < config.workers(); r++) {
      if (states.get(r).killedAt >= 0) {
        d.add("worker " + r + " died at iteration " + states.get(r).killedAt);
      }
    }
    return String.join(", ", d);
  }

  private String checkpointHint(Path out) {
    long at = Checkpoints.latestIteration(out);
    return at < 0
        ? " (no checkpoint written: use --checkpoint-every)"
        : " (last checkpoint: "
            + Checkpoints.dir(out)
            + " at iteration "
            + at
            + "; continue with --resume "
            + out
            + ")";
  }

  private void runWorker(
      WorkerConfig wc,
      SimulatedNetwork network,
      PeerNetwork net,
      ClassifierModel model,
      ImageDataset shard,
      ImageDataset test,
      ComputeProfile profile,
      RankState state) {
    VirtualScheduler clock = (VirtualScheduler) net.clock();
    Random random = new Random(config.seed() * 1_000_033L + wc.rank());
    double contention = options.contention(config.workers());
    ComputeProfile compute = options.rankCompute().getOrDefault(wc.rank(), profile);
    TrainLoop.Timing timing =
        new TrainLoop.Timing() {
          @Override
          public Duration compute(long iteration, Duration measured) {
            Duration d =
                Duration.ofNanos((long) (compute.draw(iteration, random).toNanos() * contention));
            network.compute(d);
            return d;
          }

          @Override
          public void evaluated() {
            network.compute(Duration.ofNanos((long) (profile.evalNanos() * contention)));
          }

          @Override
          public double elapsedSeconds() {
            return clock.nanoTime() / 1e9;
          }
        };
    Checkpoints.Checkpoint resumed = Checkpoints.resume(wc, model.size());
    float[] initial =
        resumed != null ? resumed.parameters() : model.initialParameters(config.seed());
    try (Algorithm algo = Algorithms.worker(wc.algorithm(), net, initial)) {
      state.algo = algo;
      TrainLoop loop =
          new TrainLoop(wc, model, algo, net, shard, test, timing, state.records::add, i -> {});
      try {
        state.iterations = loop.run(resumed != null ? resumed.iteration() : 0);
      } catch (WorkerKilledException e) {
        state.killedAt = e.iteration();
        state.iterations = e.iteration();
        state.last = algo.parameters();
        network.kill(wc.rank(), "died at iteration " + e.iteration());
        return;
      }
      state.last = algo.parameters();
      float[] finalParams = algo.finish();
      state.endNanos = clock.nanoTime();
      if (wc.rank() == 0) {
        state.accuracy = model.accuracy(finalParams, test.pixels(), test.labels());
        writeCurve(loop);
      }
    } finally {
      state.done = true;
      net.close();
    }
  }

  private static void writeCurve(TrainLoop loop) {
    try {
      loop.writeAccuracyCurve();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Launcher.Result report(List<RankState> states, Path out) throws IOException {
    List<IterationRecord> all = new ArrayList<>();
    long iterations = 0;
    long end = 0;
    for (RankState s : states) {
      all.addAll(s.records);
      iterations += s.iterations;
      end = Math.max(end, s.endNanos);
    }
    Collections.sort(
        all,
        Comparator.comparingDouble(IterationRecord::wallSeconds)
            .thenComparingInt(IterationRecord::rank)
            .thenComparingLong(IterationRecord::iteration));
    try (MetricsCsv csv = new MetricsCsv(out.resolve("metrics.csv"))) {
      all.forEach(csv::append);
    }
    double seconds = end / 1e9;
    double accuracy = states.get(0).accuracy;
    Launcher.writeReport(config, all, " (simulated)", seconds, iterations, accuracy, out);
    return new Launcher.Result(accuracy, seconds, iterations, out);
  }
}
