package dev.weft.trainer.algo;

import java.time.Duration;

/**
 * How parameters are synchronized.
 *
 * @param workers number of worker ranks ({@code 0 .. workers-1})
 * @param servers parameter-server processes (ranks {@code workers ..}); 0 unless {@link
 *     AlgorithmKind#PS}
 * @param psAsync for PS: apply each push on arrival instead of averaging a full round
 * @param learningRate SGD step size
 * @param chunkElements float32 values per transport message in collectives
 * @param timeout the longest any single wait may take
 * @param seed seeds every random choice (AD-PSGD's partner choice)
 * @param hop Hop's settings (used by {@link AlgorithmKind#HOP})
 * @param ripples Ripples' settings (used by {@link AlgorithmKind#RIPPLES}); in dynamic mode the
 *     Group Generator is the one "server" process (rank {@code workers})
 */
public record AlgorithmConfig(
    AlgorithmKind kind,
    int workers,
    int servers,
    boolean psAsync,
    float learningRate,
    int chunkElements,
    Duration timeout,
    long seed,
    HopOptions hop,
    RipplesOptions ripples) {

  /**
   * 256 KiB of float32 per collective chunk: one transport message, and small enough for
   * reduce-and-forward pipelining to overlap the ring's steps.
   */
  public static final int DEFAULT_CHUNK_ELEMENTS = 1 << 16;

  /** The same with default Hop and Ripples settings. */
  public AlgorithmConfig(
      AlgorithmKind kind,
      int workers,
      int servers,
      boolean psAsync,
      float learningRate,
      int chunkElements,
      Duration timeout,
      long seed) {
    this(
        kind,
        workers,
        servers,
        psAsync,
        learningRate,
        chunkElements,
        timeout,
        seed,
        HopOptions.DEFAULTS,
        RipplesOptions.DEFAULTS);
  }

  public AlgorithmConfig {
    if (kind == null) {
      throw new IllegalArgumentException("algorithm is required");
    }
    if (workers < 1) {
      throw new IllegalArgumentException("need at least one worker, got " + workers);
    }
    hop = hop == null ? HopOptions.DEFAULTS : hop;
    ripples = ripples == null ? RipplesOptions.DEFAULTS : ripples;
    if (kind == AlgorithmKind.RIPPLES) {
      if (servers != ripples.generatorProcesses()) {
        throw new IllegalArgumentException(
            "ripples in "
                + ripples.mode().name().toLowerCase(java.util.Locale.ROOT)
                + " mode runs "
                + ripples.generatorProcesses()
                + " group-generator process(es), got "
                + servers);
      }
    } else if (kind == AlgorithmKind.PS ? servers < 1 : servers != 0) {
      throw new IllegalArgumentException(
          kind == AlgorithmKind.PS
              ? "the parameter server needs at least one server process"
              : kind.cliName() + " uses no server processes, got " + servers);
    }
    if (psAsync && kind != AlgorithmKind.PS) {
      throw new IllegalArgumentException("async applies only to the parameter server");
    }
    if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
    }
    if (chunkElements < 1) {
      throw new IllegalArgumentException("chunk size must be positive");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
  }

  /** Processes in the run: workers plus servers. */
  public int processes() {
    return workers + servers;
  }
}
