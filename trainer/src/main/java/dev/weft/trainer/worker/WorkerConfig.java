package dev.weft.trainer.worker;

import dev.weft.trainer.algo.AlgorithmConfig;
import dev.weft.trainer.algo.AlgorithmKind;
import dev.weft.trainer.algo.HopOptions;
import dev.weft.trainer.algo.RipplesOptions;
import dev.weft.trainer.model.ModelKind;
import java.time.Duration;
import java.util.List;

/**
 * Everything one worker (or parameter-server) process needs. Plain fields so that the launcher can
 * hand it to a child JVM as JSON; validated here, whoever built it.
 *
 * @param runId shared by every process of the run; peers of another run are refused
 * @param rank this process: workers {@code 0 .. workers-1}, then parameter servers
 * @param peers {@code host:port} of every rank, in rank order
 * @param coordinator {@code host:port} of the control service, or empty to run without one
 * @param algo {@code allreduce}, {@code ps} or {@code adpsgd}
 * @param servers parameter-server processes (PS only)
 * @param dataset directory with the Fashion-MNIST IDX files, or the text corpus (--model llama)
 * @param targetAccuracy stop once test accuracy at an epoch's end reaches this (0: never)
 * @param maxIterations stop after this many iterations (0: run all epochs)
 * @param slowdown this rank's compute-time multiplier (1: none)
 * @param transientProbability chance per iteration of an extra transient slowdown
 * @param transientFactor compute-time multiplier of a transient slowdown
 * @param netDelayMicros added one-way delay on every message this process sends
 * @param outDir where this process writes its metrics CSV
 * @param metricsPort Prometheus port (0: none)
 * @param timeoutSeconds the longest any wait may take
 * @param hop Hop's settings (null: defaults)
 * @param ripples Ripples' settings (null: defaults)
 * @param recovery fault injection, checkpoints and resume (null: none)
 * @param lm language-model options ({@code --model llama} only, else null)
 * @param accuracyEvery rank 0 keeps its parameters every this many iterations and, after training,
 *     writes their test accuracy against time to {@code accuracy.csv} (0: never)
 * @param warmupIterations before the clock starts, this process takes part in this many untimed
 *     iterations of the algorithm on a throwaway copy of the model (workers compute and exchange,
 *     servers serve), so that timings are of JIT-compiled code rather than of the JVM's start (0:
 *     none)
 */
public record WorkerConfig(
    String runId,
    int rank,
    List<String> peers,
    String coordinator,
    String algo,
    int workers,
    int servers,
    boolean psAsync,
    String model,
    String dataset,
    int epochs,
    int batch,
    float lr,
    double targetAccuracy,
    long maxIterations,
    long seed,
    double slowdown,
    double transientProbability,
    double transientFactor,
    long netDelayMicros,
    String outDir,
    int metricsPort,
    long timeoutSeconds,
    int chunkElements,
    HopOptions hop,
    RipplesOptions ripples,
    Recovery recovery,
    dev.weft.trainer.lm.LmOptions lm,
    int accuracyEvery,
    int warmupIterations) {

  public WorkerConfig {
    if (runId == null || runId.isBlank()) {
      throw new IllegalArgumentException("run id is required");
    }
    peers = List.copyOf(peers);
    coordinator = coordinator == null ? "" : coordinator;
    AlgorithmKind.parse(algo);
    if ((ModelKind.parse(model) == ModelKind.LLAMA) != (lm != null)) {
      throw new IllegalArgumentException("language-model options go with --model llama only");
    }
    if (peers.size() != workers + servers) {
      throw new IllegalArgumentException(
          peers.size() + " peer addresses for " + workers + " workers and " + servers + " servers");
    }
    if (rank < 0 || rank >= peers.size()) {
      throw new IllegalArgumentException("rank " + rank + " outside 0.." + (peers.size() - 1));
    }
    if (epochs < 1 || batch < 1) {
      throw new IllegalArgumentException("epochs and batch must be at least 1");
    }
    if (targetAccuracy < 0 || targetAccuracy > 1) {
      throw new IllegalArgumentException("target accuracy " + targetAccuracy + " not in [0, 1]");
    }
    if (accuracyEvery < 0) {
      throw new IllegalArgumentException("--accuracy-every must be >= 0");
    }
    if (warmupIterations < 0) {
      throw new IllegalArgumentException("--warmup-iterations must be >= 0");
    }
    if (maxIterations < 0) {
      throw new IllegalArgumentException("max iterations must be >= 0");
    }
    if (!(slowdown >= 1) || !(transientFactor >= 1)) {
      throw new IllegalArgumentException("slowdown factors must be >= 1 (1 means none)");
    }
    if (transientProbability < 0 || transientProbability > 1) {
      throw new IllegalArgumentException("transient slowdown probability not in [0, 1]");
    }
    if (netDelayMicros < 0 || metricsPort < 0 || metricsPort > 65535) {
      throw new IllegalArgumentException("network delay and metrics port must be >= 0");
    }
    if (timeoutSeconds < 1) {
      throw new IllegalArgumentException("timeout must be at least 1 s");
    }
    hop = hop == null ? HopOptions.DEFAULTS : hop;
    ripples = ripples == null ? RipplesOptions.DEFAULTS : ripples;
    recovery = recovery == null ? Recovery.NONE : recovery;
    // Fields are not assigned yet inside a compact constructor: validate from the parameters.
    algorithm(
        algo, workers, servers, psAsync, lr, chunkElements, timeoutSeconds, seed, hop, ripples);
  }

  public AlgorithmConfig algorithm() {
    return algorithm(
        algo, workers, servers, psAsync, lr, chunkElements, timeoutSeconds, seed, hop, ripples);
  }

  private static AlgorithmConfig algorithm(
      String algo,
      int workers,
      int servers,
      boolean psAsync,
      float lr,
      int chunkElements,
      long timeoutSeconds,
      long seed,
      HopOptions hop,
      RipplesOptions ripples) {
    AlgorithmKind kind = AlgorithmKind.parse(algo);
    return new AlgorithmConfig(
        kind,
        workers,
        kind.serverProcesses(servers, ripples),
        psAsync,
        lr,
        chunkElements,
        Duration.ofSeconds(timeoutSeconds),
        seed,
        hop,
        ripples);
  }

  public ModelKind modelKind() {
    return ModelKind.parse(model);
  }

  public boolean isServer() {
    return rank >= workers;
  }

  public Duration timeout() {
    return Duration.ofSeconds(timeoutSeconds);
  }

  public SlowdownPolicy slowdownPolicy() {
    return new SlowdownPolicy(slowdown, transientProbability, transientFactor, seed * 7919 + rank);
  }
}
