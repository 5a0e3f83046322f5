package dev.weft.trainer.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.trainer.algo.Algorithm;
import dev.weft.trainer.algo.AlgorithmConfig;
import dev.weft.trainer.algo.AlgorithmKind;
import dev.weft.trainer.algo.Algorithms;
import dev.weft.trainer.comm.Clock;
import dev.weft.trainer.comm.LocalNetwork;
import dev.weft.trainer.comm.NamespacedNetwork;
import dev.weft.trainer.comm.PeerNetwork;
import dev.weft.trainer.comm.PeerTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class JitWarmupTest {

  /** Synchronous parameter server: 2 workers (ranks 0, 1) and one server (rank 2). */
  private static final AlgorithmConfig PS =
      new AlgorithmConfig(
          AlgorithmKind.PS,
          2,
          1,
          false,
          0.5f,
          AlgorithmConfig.DEFAULT_CHUNK_ELEMENTS,
          Duration.ofSeconds(30),
          7);

  private static final float[] INITIAL = {1f, 2f, 3f, 4f, 5f};

  /** What each process ends with: its common start, when it finished, its real-run parameters. */
  private record Outcome(long start, long end, float[] params) {}

  /**
   * Warms up with {@code warmup} iterations (worker gradients: all ones, counted in {@code
   * computed}), then runs 3 real steps of {@link #PS} with gradients that depend on rank and step.
   */
  private static List<Outcome> run(
      int warmup, long registered, AtomicInteger computed, JitWarmup.JitMeter meter)
      throws Exception {
    LocalNetwork network = new LocalNetwork(3, Clock.system());
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<Outcome>> results = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        PeerNetwork net = network.peer(r);
        boolean server = r == 2;
        results.add(
            pool.submit(
                () -> {
                  if (server) {
                    Thread.sleep(50); // the last process to arrive sets the start
                  }
                  JitWarmup.Share share =
                      server
                          ? JitWarmup.server(PS)
                          : JitWarmup.worker(
                              PS,
                              INITIAL,
                              warmup,
                              (params, grad) -> {
                                computed.incrementAndGet();
                                java.util.Arrays.fill(grad, 1f);
                              });
                  long start =
                      JitWarmup.run(
                          net, warmup, share, registered, PS.chunkElements(), PS.timeout(), meter);
                  if (server) {
                    Algorithms.runServer(PS, net);
                    return new Outcome(start, System.currentTimeMillis(), null);
                  }
                  try (Algorithm algo = Algorithms.worker(PS, net, INITIAL)) {
                    for (int i = 0; i < 3; i++) {
                      float[] g = new float[INITIAL.length];
                      java.util.Arrays.fill(g, 0.1f * (net.rank() + 1) * (i + 1));
                      algo.step(i, g);
                    }
                    return new Outcome(start, System.currentTimeMillis(), algo.finish());
                  }
                }));
      }
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> f : results) {
        outcomes.add(f.get(60, TimeUnit.SECONDS));
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  /** A JIT that never compiles: one round is enough. */
  private static final JitWarmup.JitMeter QUIET = () -> 0;

  @Test
  void everyProcessWarmsUpAndAllAgreeOnOneStartNoEarlierThanTheirOwnEnd() throws Exception {
    long registered = System.currentTimeMillis();
    AtomicInteger computed = new AtomicInteger();
    List<Outcome> outcomes = run(4, registered, computed, QUIET);
    for (Outcome o : outcomes) {
      assertEquals(outcomes.get(0).start(), o.start(), "all processes start their clocks together");
      assertTrue(o.start() >= registered + 50, "not before the late process arrived");
      assertTrue(o.start() <= o.end() + 1, "not after the process is done");
    }
    assertEquals(8, computed.get(), "two workers x 4 warm-up gradients");
  }

  @Test
  void roundsRepeatWhileAnyProcessIsStillCompiling() throws Exception {
    // Each reading advances by 10 s: every process looks busy compiling until the round cap.
    AtomicLong clock = new AtomicLong();
    AtomicInteger computed = new AtomicInteger();
    run(2, System.currentTimeMillis(), computed, () -> clock.addAndGet(10_000));
    assertEquals(2 * 2 * JitWarmup.MAX_ROUNDS, computed.get(), "2 workers x 2 x every round");
  }

  @Test
  void theWarmUpCopyLeavesTheRealRunAsItWouldHaveBeen() throws Exception {
    float[] cold = run(0, System.currentTimeMillis(), new AtomicInteger(), QUIET).get(0).params();
    float[] warm = run(5, System.currentTimeMillis(), new AtomicInteger(), QUIET).get(0).params();
    // 3 synchronous steps at lr 0.5 on the mean gradient 0.15 * (i + 1): 0.45 less per parameter.
    assertArrayEquals(new float[] {0.55f, 1.55f, 2.55f, 3.55f, 4.55f}, cold, 1e-6f);
    assertArrayEquals(cold, warm, 0f);
  }

  @Test
  void aNamespacedMessageNeverReachesTheSharedTag() {
    LocalNetwork network = new LocalNetwork(2, Clock.system());
    new NamespacedNetwork(network.peer(0), JitWarmup.NAMESPACE).send(1, "t", 0, new float[1]);
    assertThrows(
        PeerTimeoutException.class, () -> network.peer(1).receive(0, "t", Duration.ofMillis(50)));
    assertEquals(
        1,
        new NamespacedNetwork(network.peer(1), JitWarmup.NAMESPACE)
            .receive(0, "t", Duration.ofSeconds(1))
            .data()
            .length);
  }

  @Test
  void zeroIterationsLeavesTheStartAlone() {
    LocalNetwork network = new LocalNetwork(2, Clock.system());
    assertEquals(
        1234L,
        JitWarmup.run(
            network.peer(0),
            0,
            apart -> {
              throw new AssertionError("no warm-up wanted");
            },
            1234L,
            AlgorithmConfig.DEFAULT_CHUNK_ELEMENTS,
            Duration.ofSeconds(1)));
  }
}
