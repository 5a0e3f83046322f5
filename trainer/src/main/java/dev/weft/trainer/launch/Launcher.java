package dev.weft.trainer.launch;

import dev.weft.data.mnist.FashionMnist;
import dev.weft.data.mnist.ImageDataset;
import dev.weft.engine.model.LlamaWeights;
import dev.weft.protos.v1.IterationMetrics;
import dev.weft.trainer.algo.AlgorithmKind;
import dev.weft.trainer.grpc.GrpcPeerNetwork;
import dev.weft.trainer.lm.HeldOutCsv;
import dev.weft.trainer.lm.LmCheckpoint;
import dev.weft.trainer.lm.LmData;
import dev.weft.trainer.lm.LmOptions;
import dev.weft.trainer.metrics.IterationRecord;
import dev.weft.trainer.metrics.LossChart;
import dev.weft.trainer.metrics.MetricsCsv;
import dev.weft.trainer.model.ModelKind;
import dev.weft.trainer.worker.WorkerConfig;
import dev.weft.trainer.worker.WorkerMain;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a training job on this machine: checks the data set, picks free loopback ports, starts the
 * coordinator and one JVM per worker (and parameter server), each with one intra-op thread and its
 * own log; shows progress; on any failure stops the others and names the failed process; finally
 * merges metrics into {@code metrics.csv} and {@code loss.png}.
 */
public final class Launcher {

  /**
   * Outcome of a run.
   *
   * @param testAccuracy worker 0's test accuracy of the final model (classifiers; -1 otherwise)
   * @param heldOut held-out losses from first to final model (language models; empty otherwise)
   */
  public record Result(
      double testAccuracy,
      double seconds,
      long iterations,
      Path outDir,
      List<HeldOutCsv.Row> heldOut) {
    public Result {
      heldOut = List.copyOf(heldOut);
    }

    /** A classifier run's outcome. */
    public Result(double testAccuracy, double seconds, long iterations, Path outDir) {
      this(testAccuracy, seconds, iterations, outDir, List.of());
    }

    /** The final model's held-out loss (language models). */
    public double finalHeldOutLoss() {
      return heldOut.get(heldOut.size() - 1).loss();
    }
  }

  private final LaunchConfig config;
  private final PrintStream progress;

  private final RecoveryOptions recovery;

  public Launcher(LaunchConfig config, PrintStream progress) {
    this(config, RecoveryOptions.NONE, progress);
  }

  public Launcher(LaunchConfig config, RecoveryOptions recovery, PrintStream progress) {
    recovery.validate(config.workers());
    this.config = config;
    this.recovery = recovery;
    this.progress = progress;
  }

  public Result run() throws IOException, InterruptedException {
    if (config.workers() > LaunchConfig.MAX_REAL_WORKERS) {
      throw new IllegalArgumentException(
          "at most "
              + LaunchConfig.MAX_REAL_WORKERS
              + " worker JVMs on one machine, got "
              + config.workers()
              + " (add --simulate for more)");
    }
    Path out = config.outDir().toAbsolutePath();
    Files.createDirectories(out);
    // Read the data once here so a missing or corrupt file fails before any JVM starts.
    long perWorker =
        config.model() == ModelKind.LLAMA ? languageModelIterations() : classifierIterations();
    String runId = "run-" + UUID.randomUUID().toString().substring(0, 8);
    int n = config.processes();
    int[] ports = FreePorts.pick(2 * n + 1);
    List<String> peers = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      peers.add("127.0.0.1:" + ports[r]);
    }
    AtomicLong done = new AtomicLong();
    double[] lastLoss = {Double.NaN};
    Coordinator coordinator =
        new Coordinator(
            runId,
            n,
            (IterationMetrics m) -> {
              done.incrementAndGet();
              if (m.getRank() == 0) {
                lastLoss[0] = m.getLoss();
              }
            });
    Server control =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", ports[2 * n]))
            .addService(coordinator)
            .build()
            .start();
    List<Process> procs = new ArrayList<>();
    // When one process dies the others fail soon after (their peer is gone); the first to exit
    // with an error is the one to name.
    Map<Integer, Long> exitOrder = new ConcurrentHashMap<>();
    AtomicLong exitCounter = new AtomicLong();
    Thread killer = new Thread(() -> destroyAll(procs), "weft-train-shutdown");
    Runtime.getRuntime().addShutdownHook(killer);
    long start = System.nanoTime();
    ProgressBar bar = new ProgressBar(progress, perWorker * config.workers());
    try {
      for (int r = 0; r < n; r++) {
        Process p = start(r, runId, peers, "127.0.0.1:" + ports[2 * n], ports[n + r], out);
        int rank = r;
        p.onExit().thenRun(() -> exitOrder.putIfAbsent(rank, exitCounter.incrementAndGet()));
        procs.add(p);
      }
      long deadline = start + TimeUnit.SECONDS.toNanos(config.runTimeoutSeconds());
      while (true) {
        bar.update(done.get(), lastLoss[0], (System.nanoTime() - start) / 1e9);
        int exited = 0;
        for (int i = 0; i < n; i++) {
          if (!procs.get(i).isAlive()) {
            exited++;
            if (procs.get(i).exitValue() != 0 && survivable(i)) {
              if (coordinator.markDead(i)) {
                bar.end();
                progress.println(
                    name(i)
                        + " died (exit code "
                        + procs.get(i).exitValue()
                        + "): "
                        + lastError(log(out, i))
                        + "; "
                        + config.algo().cliName()
                        + " carries on with the other workers");
              }
            } else if (procs.get(i).exitValue() != 0) {
              bar.end();
              coordinator.requestStop(name(i) + " failed");
              Thread.sleep(300);
              int r = firstFailed(procs, exitOrder);
              Process p = procs.get(r);
              stopAll(procs);
              throw new LaunchException(
                  name(r)
                      + " failed (exit code "
                      + p.exitValue()
                      + "): "
                      + lastError(log(out, r))
                      + " [log: "
                      + log(out, r)
                      + "]"
                      + checkpointHint(out));
            }
          }
        }
        if (exited == n) {
          break;
        }
        if (System.nanoTime() > deadline) {
          bar.end();
          coordinator.requestStop("run timed out");
          stopAll(procs);
          throw new LaunchException(
              "run did not finish within "
                  + config.runTimeoutSeconds()
                  + " s; still running: "
                  + running(procs)
                  + " (logs in "
                  + out
                  + ")");
        }
        Thread.sleep(200);
      }
      // Metrics are best-effort; the finish reports say how far every worker really got.
      long reported =
          coordinator.finished().values().stream().mapToLong(Coordinator.Finish::iterations).sum();
      bar.update(Math.max(done.get(), reported), lastLoss[0], (System.nanoTime() - start) / 1e9);
      bar.end();
    } finally {
      destroyAll(procs);
      control.shutdownNow();
      try {
        Runtime.getRuntime().removeShutdownHook(killer);
      } catch (IllegalStateException e) {
        // Already shutting down: the hook is running.
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Coordinator.Finish zero = coordinator.finished().get(0);
    List<HeldOutCsv.Row> heldOut = List.of();
    if (config.model() == ModelKind.LLAMA) {
      Path file = out.resolve(HeldOutCsv.FILE);
      heldOut = Files.exists(file) ? HeldOutCsv.read(file) : List.of();
      if (heldOut.isEmpty() || !Files.exists(out.resolve(LmCheckpoint.MODEL_FILE))) {
        throw new LaunchException(
            "worker 0 exited without its held-out loss and model; see " + log(out, 0));
      }
    } else if (zero == null || zero.testAccuracy() < 0) {
      throw new LaunchException(
          "worker 0 exited without reporting a test accuracy; see " + log(out, 0));
    }
    List<Path> csvs = new ArrayList<>();
    long iterations = 0;
    for (int r = 0; r < config.workers(); r++) {
      csvs.add(out.resolve("metrics-rank-" + r + ".csv"));
      Coordinator.Finish f = coordinator.finished().get(r);
      iterations += f == null ? 0 : f.iterations();
    }
    List<IterationRecord> all = MetricsCsv.merge(csvs, out.resolve("metrics.csv"));
    double accuracy = heldOut.isEmpty() ? zero.testAccuracy() : -1;
    writeReport(config, all, "", seconds, iterations, accuracy, out);
    if (!heldOut.isEmpty()) {
      Files.writeString(
          out.resolve("summary.txt"),
          String.format(
              Locale.ROOT,
              "held_out_loss_first=%.4f held_out_loss_final=%.4f%n",
              heldOut.get(0).loss(),
              heldOut.get(heldOut.size() - 1).loss()),
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.APPEND);
    }
    return new Result(accuracy, seconds, iterations, out, heldOut);
  }

  /**
   * Writes {@code loss.png} and {@code summary.txt} of a finished run (real or simulated: {@code
   * mode} is appended to the chart title and summary).
   */
  public static void writeReport(
      LaunchConfig config,
      List<IterationRecord> all,
      String mode,
      double seconds,
      long iterations,
      double accuracy,
      Path out)
      throws IOException {
    LossChart.write(
        all,
        String.format(
            Locale.ROOT,
            "%s, %d workers, %s%s",
            config.algo().cliName(),
            config.workers(),
            config.model().cliName(),
            mode),
        out.resolve("loss.png"));
    Files.writeString(
        out.resolve("summary.txt"),
        String.format(
            Locale.ROOT,
            "algo=%s%s workers=%d servers=%d model=%s epochs=%d batch=%d lr=%s seed=%d slowdowns=%s%s%n"
                + "wall_seconds=%.1f iterations=%d %s%n",
            config.algo().cliName(),
            config.psAsync() ? " (async)" : "",
            config.workers(),
            config.servers(),
            config.model().cliName(),
            config.epochs(),
            config.batch(),
            config.lr(),
            config.seed(),
            config.slowdowns(),
            mode,
            seconds,
            iterations,
            accuracy >= 0 ? String.format(Locale.ROOT, "test_accuracy=%.4f", accuracy) : ""),
        StandardCharsets.UTF_8);
  }

  private long classifierIterations() throws IOException {
    ImageDataset train = FashionMnist.train(config.dataset());
    FashionMnist.test(config.dataset());
    long perWorker = (long) (train.size() / config.workers() / config.batch()) * config.epochs();
    if (perWorker == 0) {
      throw new IllegalArgumentException(
          "batch "
              + config.batch()
              + " is larger than a worker's shard of "
              + train.size() / config.workers());
    }
    return config.maxIterations() > 0 ? Math.min(perWorker, config.maxIterations()) : perWorker;
  }

  private long languageModelIterations() throws IOException {
    LmOptions lm = config.lm();
    LlamaWeights initial = lm.initialWeights(config.seed());
    LmData data =
        LmData.prepare(
            config.dataset(), lm.loadTokenizer(initial.config().vocabSize()), lm, config.seed());
    long perWorker = data.iterationsPerEpoch(config.workers(), config.batch()) * config.epochs();
    progress.printf(
        Locale.ROOT,
        "corpus %s: %d documents, %d training windows of %d tokens, %d held-out windows%n",
        config.dataset(),
        data.documents(),
        data.train().count(),
        lm.seqLen(),
        data.heldOut().count());
    return config.maxIterations() > 0 ? Math.min(perWorker, config.maxIterations()) : perWorker;
  }

  /** A worker whose death the algorithm survives: AD-PSGD, except rank 0 (it evaluates). */
  private boolean survivable(int rank) {
    return config.algo() == dev.weft.trainer.algo.AlgorithmKind.ADPSGD
        && rank > 0
        && rank < config.workers();
  }

  /** Where a stopped run can continue from, for its error message. */
  static String checkpointHint(Path out) {
    long at = dev.weft.trainer.worker.Checkpoints.latestIteration(out);
    return at < 0
        ? ""
        : "; last checkpoint: "
            + dev.weft.trainer.worker.Checkpoints.dir(out)
            + " at iteration "
            + at
            + " (continue with --resume "
            + out
            + ")";
  }

  private static int firstFailed(List<Process> procs, Map<Integer, Long> exitOrder) {
    int best = -1;
    for (int r = 0; r < procs.size(); r++) {
      Process p = procs.get(r);
      if (!p.isAlive() && p.exitValue() != 0) {
        long order = exitOrder.getOrDefault(r, Long.MAX_VALUE);
        if (best < 0 || order < exitOrder.getOrDefault(best, Long.MAX_VALUE)) {
          best = r;
        }
      }
    }
    return best;
  }

  private String name(int rank) {
    return rank < config.workers()
        ? "worker " + rank
        : (config.algo() == AlgorithmKind.RIPPLES
                ? "group generator"
                : "parameter server " + (rank - config.workers()))
            + " (rank "
            + rank
            + ")";
  }

  private static Path log(Path out, int rank) {
    return out.resolve("worker-" + rank + ".log");
  }

  private Process start(
      int rank, String runId, List<String> peers, String coordinator, int metricsPort, Path out)
      throws IOException {
    WorkerConfig wc =
        config.worker(
            rank,
            runId,
            peers,
            coordinator,
            out,
            config.prometheus() ? metricsPort : 0,
            dev.weft.trainer.algo.AlgorithmConfig.DEFAULT_CHUNK_ELEMENTS,
            recovery);
    Path json = out.resolve("worker-" + rank + ".json");
    WorkerMain.writeConfig(wc, json);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(GrpcPeerNetwork.NO_LEAK_SAMPLING);
    cmd.addAll(config.workerJvmOptions());
    // One intra-op thread per worker: N workers share the machine's cores fairly.
    cmd.add("-Dai.djl.pytorch.num_threads=1");
    cmd.add("-Dai.djl.pytorch.num_interop_threads=1");
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-DOPT_OUT_TRACKING=true");
    cmd.add("-Djava.awt.headless=true");
    cmd.add("-cp");
    cmd.add(config.classpath());
    cmd.add(WorkerMain.class.getName());
    cmd.add(json.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("OPT_OUT_TRACKING", "true");
    pb.environment().put("DJL_OFFLINE", "true");
    pb.redirectErrorStream(true);
    pb.redirectOutput(log(out, rank).toFile());
    return pb.start();
  }

  private String running(List<Process> procs) {
    List<String> names = new ArrayList<>();
    for (int r = 0; r < procs.size(); r++) {
      if (procs.get(r).isAlive()) {
        names.add(name(r));
      }
    }
    return String.join(", ", names);
  }

  /** Gives the others a few seconds to see the stop on their heartbeat, then kills them. */
  private static void stopAll(List<Process> procs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    for (Process p : procs) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        p.waitFor(left, TimeUnit.NANOSECONDS);
      }
    }
    destroyAll(procs);
  }

  private static void destroyAll(List<Process> procs) {
    for (Process p : procs) {
      p.destroy();
    }
    for (Process p : procs) {
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The most telling line of a failed worker's log: its "worker failed:" line, else the last. */
  static String lastError(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      for (String l : lines) {
        if (l.startsWith("worker failed: ")) {
          return l.substring("worker failed: ".length());
        }
      }
      return lines.isEmpty() ? "(empty log)" : lines.get(lines.size() - 1);
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }
}
