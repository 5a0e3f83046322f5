package dev.weft.trainer.worker;

import dev.weft.trainer.algo.RingAllReduce;
import dev.weft.trainer.comm.PeerNetwork;
import java.time.Duration;
import java.util.stream.IntStream;

/**
 * Untimed warm-up before a real run's clock starts ({@code --warmup-iterations N}). A fresh JVM
 * runs its gradient and gRPC paths interpreted and compiles them while it trains: a 4-JVM run on 2
 * cores takes several hundred iterations to reach its steady speed (exchange.md), which a time-to-
 * accuracy measurement would otherwise charge to whichever algorithm it was timing. Every process
 * of the run takes part, servers included, so that all of them have compiled their transport code.
 *
 * <p>After the warm-up the processes agree on a new common start: each contributes its elapsed time
 * since the coordinator's start to one last all-reduce and all take the largest, so every rank's
 * clock starts at the same instant, no earlier than any of them finished warming up.
 */
final class JitWarmup {

  /**
   * Floats per warm-up all-reduce: 1 MiB, about the MLP's 0.94 MB model, and the same on every
   * process (parameter servers have no model to size it by).
   */
  static final int WARMUP_FLOATS = 1 << 18;

  private JitWarmup() {}

  /**
   * Runs {@code iterations} rounds of {@code compute} (may be null for a process without a model)
   * and a ring all-reduce of {@link #WARMUP_FLOATS} zeros over every process.
   *
   * @return the new common start, in the same milliseconds as {@code startMs}
   */
  static long run(
      PeerNetwork net,
      int iterations,
      Runnable compute,
      long startMs,
      int chunk,
      Duration timeout) {
    if (iterations == 0) {
      return startMs;
    }
    int[] everyone = IntStream.range(0, net.size()).toArray();
    float[] zeros = new float[WARMUP_FLOATS];
    for (int i = 0; i < iterations; i++) {
      if (compute != null) {
        compute.run();
      }
      java.util.Arrays.fill(zeros, 0f);
      RingAllReduce.sum(net, everyone, "warmup/" + i, zeros, chunk, timeout);
    }
    float[] elapsed = new float[net.size()];
    elapsed[net.rank()] = Math.max(0, System.currentTimeMillis() - startMs);
    RingAllReduce.sum(net, everyone, "warmup/start", elapsed, chunk, timeout);
    float latest = 0;
    for (float e : elapsed) {
      latest = Math.max(latest, e);
    }
    return startMs + (long) Math.ceil(latest) + 1;
  }
}
