package dev.weft.trainer.worker;

import dev.weft.trainer.algo.Algorithm;
import dev.weft.trainer.algo.AlgorithmConfig;
import dev.weft.trainer.algo.Algorithms;
import dev.weft.trainer.algo.RingAllReduce;
import dev.weft.trainer.comm.NamespacedNetwork;
import dev.weft.trainer.comm.PeerNetwork;
import dev.weft.trainer.metrics.IterationRecord;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Untimed warm-up before a real run's clock starts ({@code --warmup-iterations N}). A fresh JVM
 * runs its gradient, algorithm and gRPC paths interpreted and compiles them while it trains: four
 * worker JVMs on 2 cores keep their C2 compiler threads busy for 20-30 s (a third to a half of all
 * CPU, benchmarks/results/trainer/scale/README.md), and a time-to-accuracy measurement would charge
 * that to whichever algorithm it was timing.
 *
 * <p>So every process first runs rounds of N iterations of the run's own algorithm on a throwaway
 * copy: workers compute gradients and exchange them exactly as they will (parameter servers and
 * Ripples' group generator serve them), through a {@link NamespacedNetwork} so that none of the
 * copy's messages can reach the real run; the copy's parameters are then dropped. Rounds repeat
 * until, in the last one, every process spent less than {@link #QUIET_FRACTION} of its time
 * compiling (at most {@link #MAX_ROUNDS} rounds).
 *
 * <p>After each round the processes agree in one all-reduce whether to go on, and after the last on
 * a common start: each contributes its elapsed time since the coordinator's start and all take the
 * largest, so every rank's clock starts at the same instant, no earlier than any of them finished
 * warming up.
 */
final class JitWarmup {

  private static final Logger log = LoggerFactory.getLogger(JitWarmup.class);

  /** The tag prefix of the warm-up copies' messages. */
  static final String NAMESPACE = "warmup/";

  /** A process whose JIT compiled for less than this fraction of a round's time is warm. */
  static final double QUIET_FRACTION = 0.10;

  static final int MAX_ROUNDS = 20;

  private JitWarmup() {}

  /** One warm-up gradient: fills {@code grad} for {@code params} (or leaves it as it is). */
  interface Gradient {
    void compute(float[] params, float[] grad);
  }

  /** A process's part of one warm-up round, on that round's own namespace. */
  interface Share {
    void run(PeerNetwork apart);
  }

  /** Milliseconds this JVM has spent compiling so far. */
  interface JitMeter {
    long compileMillis();

    /** The JVM's own count, or a meter that never sees compiling where the JVM keeps none. */
    static JitMeter jvm() {
      CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
      if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
        return () -> 0;
      }
      return jit::getTotalCompilationTime;
    }
  }

  /**
   * A worker's share: {@code iterations} steps of a copy of the algorithm started from {@code
   * initial}, each on a gradient from {@code gradient}, then the algorithm's own finish.
   */
  static Share worker(
      AlgorithmConfig algorithm, float[] initial, int iterations, Gradient gradient) {
    return apart -> {
      float[] grad = new float[initial.length];
      try (Algorithm copy = Algorithms.worker(algorithm, apart, initial)) {
        for (int i = 0; i < iterations; i++) {
          gradient.compute(copy.parameters(), grad);
          copy.step(i, grad);
          // The real loop formats a metrics row per iteration; compile that too.
          formatted +=
              new IterationRecord(apart.rank(), i, 0, i * 1e-3, 1, 1e-3, 1e-3, apart.bytesSent())
                  .toCsv()
                  .length();
        }
        copy.finish();
      }
    };
  }

  /** Characters of warm-up metrics rows formatted (kept so the formatting is not dead code). */
  static volatile long formatted;

  /** A server process's share: serve the workers' warm-up copies until they finish. */
  static Share server(AlgorithmConfig algorithm) {
    return apart -> Algorithms.runServer(algorithm, apart);
  }

  /** {@link #run(PeerNetwork, int, Share, long, int, Duration, JitMeter)} on this JVM's JIT. */
  static long run(
      PeerNetwork net, int iterations, Share share, long startMs, int chunk, Duration timeout) {
    return run(net, iterations, share, startMs, chunk, timeout, JitMeter.jvm());
  }

  /**
   * Runs this process's share of the warm-up rounds (nothing when {@code iterations} is 0), then
   * agrees on the common start with every other process.
   *
   * @return the new common start, in the same milliseconds as {@code startMs}
   */
  static long run(
      PeerNetwork net,
      int iterations,
      Share share,
      long startMs,
      int chunk,
      Duration timeout,
      JitMeter meter) {
    if (iterations == 0) {
      return startMs;
    }
    int[] everyone = IntStream.range(0, net.size()).toArray();
    for (int round = 0; ; round++) {
      long wall0 = System.nanoTime();
      long jit0 = meter.compileMillis();
      String namespace = NAMESPACE + round + "/";
      share.run(new NamespacedNetwork(net, namespace));
      double wallMs = (System.nanoTime() - wall0) / 1e6;
      long compiledMs = meter.compileMillis() - jit0;
      boolean compiling = compiledMs > QUIET_FRACTION * wallMs;
      // Slots 0..size-1: each process's elapsed time; the last: how many are still compiling.
      float[] agree = new float[net.size() + 1];
      agree[net.rank()] = Math.max(0, System.currentTimeMillis() - startMs);
      agree[net.size()] = compiling ? 1 : 0;
      RingAllReduce.sum(net, everyone, namespace + "agree", agree, chunk, timeout);
      log.info(
          "rank {} warm-up round {}: {} iterations in {} ms, {} ms of it compiling; {} of {}"
              + " processes still compiling",
          net.rank(),
          round,
          iterations,
          Math.round(wallMs),
          compiledMs,
          (int) agree[net.size()],
          net.size());
      if (agree[net.size()] == 0 || round + 1 >= MAX_ROUNDS) {
        float latest = 0;
        for (int r = 0; r < net.size(); r++) {
          latest = Math.max(latest, agree[r]);
        }
        return startMs + (long) Math.ceil(latest) + 1;
      }
    }
  }
}
