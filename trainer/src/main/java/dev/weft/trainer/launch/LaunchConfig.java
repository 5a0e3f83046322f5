package dev.weft.trainer.launch;

import dev.weft.trainer.algo.AlgorithmKind;
import dev.weft.trainer.algo.HopOptions;
import dev.weft.trainer.algo.RipplesOptions;
import dev.weft.trainer.lm.LmOptions;
import dev.weft.trainer.model.ModelKind;
import dev.weft.trainer.worker.WorkerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A whole training run on this machine: N worker JVMs (plus parameter-server JVMs for PS).
 *
 * @param slowdowns rank -> compute-time factor (>= 1)
 * @param maxIterations per worker, 0 for all epochs
 * @param timeoutSeconds the longest any single wait inside a worker may take
 * @param runTimeoutSeconds the longest the whole run may take before it is stopped
 * @param workerJvmOptions extra JVM options for every child (e.g. {@code -Xmx1g})
 * @param classpath the children's class path (the launcher's own by default)
 * @param hop Hop's settings ({@code --algo hop})
 * @param ripples Ripples' settings ({@code --algo ripples}; dynamic mode adds the Group Generator
 *     process, counted in {@code servers})
 * @param lm language-model options, with {@code model == LLAMA} only (then {@code dataset} is the
 *     text corpus)
 * @param accuracyEvery worker 0 records its test accuracy every this many iterations into {@code
 *     accuracy.csv}, evaluated after training so that timing is unaffected (0: never)
 * @param warmupIterations untimed JIT warm-up before the run's clock starts (see {@link
 *     WorkerConfig}; 0: none)
 */
public record LaunchConfig(
    AlgorithmKind algo,
    int workers,
    int servers,
    boolean psAsync,
    ModelKind model,
    Path dataset,
    int epochs,
    int batch,
    float lr,
    double targetAccuracy,
    long maxIterations,
    long seed,
    Map<Integer, Double> slowdowns,
    double transientProbability,
    double transientFactor,
    long netDelayMicros,
    Path outDir,
    boolean prometheus,
    long timeoutSeconds,
    long runTimeoutSeconds,
    List<String> workerJvmOptions,
    String classpath,
    HopOptions hop,
    RipplesOptions ripples,
    LmOptions lm,
    int accuracyEvery,
    int warmupIterations) {

  /** The same with default Hop and Ripples settings. */
  public LaunchConfig(
      AlgorithmKind algo,
      int workers,
      int servers,
      boolean psAsync,
      ModelKind model,
      Path dataset,
      int epochs,
      int batch,
      float lr,
      double targetAccuracy,
      long maxIterations,
      long seed,
      Map<Integer, Double> slowdowns,
      double transientProbability,
      double transientFactor,
      long netDelayMicros,
      Path outDir,
      boolean prometheus,
      long timeoutSeconds,
      long runTimeoutSeconds,
      List<String> workerJvmOptions,
      String classpath) {
    this(
        algo,
        workers,
        servers,
        psAsync,
        model,
        dataset,
        epochs,
        batch,
        lr,
        targetAccuracy,
        maxIterations,
        seed,
        slowdowns,
        transientProbability,
        transientFactor,
        netDelayMicros,
        outDir,
        prometheus,
        timeoutSeconds,
        runTimeoutSeconds,
        workerJvmOptions,
        classpath,
        HopOptions.DEFAULTS,
        RipplesOptions.DEFAULTS,
        null,
        0,
        0);
  }

  public LaunchConfig {
    if (algo == null || model == null || dataset == null || outDir == null) {
      throw new IllegalArgumentException(
          "algorithm, model, dataset and output directory are required");
    }
    if (workers < 1 || workers > MAX_SIMULATED_WORKERS) {
      throw new IllegalArgumentException(
          "workers must be 1.." + MAX_SIMULATED_WORKERS + ", got " + workers);
    }
    hop = hop == null ? HopOptions.DEFAULTS : hop;
    ripples = ripples == null ? RipplesOptions.DEFAULTS : ripples;
    servers = algo.serverProcesses(servers, ripples);
    if (algo == AlgorithmKind.PS && servers < 1) {
      throw new IllegalArgumentException("the parameter server needs --servers >= 1");
    }
    if (psAsync && algo != AlgorithmKind.PS) {
      throw new IllegalArgumentException("--async applies only to --algo ps");
    }
    if (epochs < 1 || batch < 1) {
      throw new IllegalArgumentException("epochs and batch must be at least 1");
    }
    if (!(lr > 0)) {
      throw new IllegalArgumentException("learning rate must be positive");
    }
    if (targetAccuracy < 0 || targetAccuracy > 1) {
      throw new IllegalArgumentException("target accuracy must be in [0, 1]");
    }
    slowdowns = Map.copyOf(new TreeMap<>(slowdowns));
    for (var e : slowdowns.entrySet()) {
      if (e.getKey() < 0 || e.getKey() >= workers) {
        throw new IllegalArgumentException(
            "--slowdown names rank " + e.getKey() + " but workers are 0.." + (workers - 1));
      }
      if (!(e.getValue() >= 1)) {
        throw new IllegalArgumentException(
            "--slowdown " + e.getKey() + "=" + e.getValue() + ": the factor must be >= 1");
      }
    }
    if (timeoutSeconds < 1 || runTimeoutSeconds < 1) {
      throw new IllegalArgumentException("timeouts must be at least 1 s");
    }
    workerJvmOptions = List.copyOf(workerJvmOptions);
    if (classpath == null || classpath.isBlank()) {
      throw new IllegalArgumentException("worker class path is empty");
    }
    if ((model == ModelKind.LLAMA) != (lm != null)) {
      throw new IllegalArgumentException("language-model options go with --model llama only");
    }
    if (accuracyEvery < 0 || (accuracyEvery > 0 && model == ModelKind.LLAMA)) {
      throw new IllegalArgumentException(
          "--accuracy-every must be >= 0 and applies to classifiers only");
    }
    if (warmupIterations < 0) {
      throw new IllegalArgumentException("--warmup-iterations must be >= 0");
    }
  }

  /** Worker JVMs one machine runs. */
  public static final int MAX_REAL_WORKERS = 64;

  /** Simulated workers one process runs. */
  public static final int MAX_SIMULATED_WORKERS = 256;

  public int processes() {
    return workers + servers;
  }

  /** The configuration of process {@code rank} of this run. */
  public WorkerConfig worker(
      int rank,
      String runId,
      List<String> peers,
      String coordinator,
      Path out,
      int metricsPort,
      int chunkElements,
      RecoveryOptions recovery) {
    return new WorkerConfig(
        runId,
        rank,
        peers,
        coordinator,
        algo.cliName(),
        workers,
        servers,
        psAsync,
        model.cliName(),
        dataset.toAbsolutePath().toString(),
        epochs,
        batch,
        lr,
        targetAccuracy,
        maxIterations,
        seed,
        slowdowns.getOrDefault(rank, 1.0),
        transientProbability,
        transientFactor,
        netDelayMicros,
        out.toString(),
        metricsPort,
        timeoutSeconds,
        chunkElements,
        hop,
        ripples,
        recovery.forRank(rank),
        lm,
        accuracyEvery,
        warmupIterations);
  }
}
