package dev.weft.trainer.algo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Randomized deadlock hunt: many seeds, each drawing a worker count, Hop or Ripples settings,
 * uneven iteration counts (where the algorithm allows), slow workers and send jitter. Every run
 * must finish; a hang fails with the chain of waiting workers.
 */
class DeadlockFreedomTest {

  private static final int SEEDS = 48;

  @Test
  void everyRandomRunFinishes() throws Exception {
    for (long seed = 1; seed <= SEEDS; seed++) {
      Random rnd = new Random(seed);
      int n = 2 + rnd.nextInt(7);
      AlgorithmConfig c = seed % 2 == 0 ? hop(n, rnd, seed) : ripples(n, rnd, seed);
      boolean unevenAllowed =
          c.kind() == AlgorithmKind.HOP || c.ripples().mode() == RipplesOptions.Mode.DYNAMIC;
      long[] iterations = new long[n];
      long[] compute = new long[n];
      for (int r = 0; r < n; r++) {
        iterations[r] = unevenAllowed ? 5 + rnd.nextInt(25) : 20;
        compute[r] = rnd.nextInt(4) == 0 ? 500 + rnd.nextInt(2500) : rnd.nextInt(300);
      }
      List<float[]> out =
          SyncHarness.run(
              new SyncHarness.Run(
                  c,
                  iterations,
                  compute,
                  rnd.nextInt(400),
                  Duration.ofSeconds(30),
                  SyncObserver.NONE),
              AlgorithmsTest.same(n, new float[3]));
      assertThat(out).as("seed %d", seed).hasSize(n).doesNotContainNull();
    }
  }

  static AlgorithmConfig hop(int n, Random rnd, long seed) {
    Topology.Kind kind = Topology.Kind.values()[rnd.nextInt(Topology.Kind.values().length)];
    int degree = n % 2 == 0 ? 3 : 2;
    if (kind == Topology.Kind.RANDOM_REGULAR && n < 4) {
      kind = Topology.Kind.RING;
    }
    int gap = 1 + rnd.nextInt(4);
    int staleness = rnd.nextInt(gap + 1);
    int skip = gap >= 3 && rnd.nextBoolean() ? 1 + rnd.nextInt(gap - 2) : 0;
    HopOptions opt = new HopOptions(kind, degree, gap, staleness, rnd.nextInt(3), skip);
    return HopTest.hop(n, opt, seed);
  }

  static AlgorithmConfig ripples(int n, Random rnd, long seed) {
    RipplesOptions opt =
        new RipplesOptions(
            rnd.nextInt(4) == 0 ? RipplesOptions.Mode.STATIC : RipplesOptions.Mode.DYNAMIC,
            2 + rnd.nextInt(3),
            rnd.nextBoolean() ? RipplesOptions.Partners.READY : RipplesOptions.Partners.RANDOM,
            1 + rnd.nextInt(3));
    return RipplesTest.ripples(n, opt, seed);
  }

  @Test
  void aHangIsReportedWithTheChainOfWaitingWorkers() {
    WaitForGraph g = new WaitForGraph(4);
    g.entered(0, 3);
    g.waiting(1, new int[] {0}, "a token to enter iteration 8");
    g.waiting(2, new int[] {1, 3}, "updates of iteration >= 7");
    g.waiting(3, new int[] {2}, "the partial all-reduce of group 12");
    String d = g.describe();
    assertThat(d)
        .contains("0 is running (iteration 3)")
        .contains(
            "2 at iteration 0 waits for [1, 3] (updates of iteration >= 7) -> 1 at iteration 0 waits for [0] (a token to enter iteration 8) -> 0 is running");
    g.waiting(0, new int[] {3}, "x");
    assertThat(g.describe()).contains("(cycle)");
  }
}
