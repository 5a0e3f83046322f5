package dev.weft.trainer.algo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.trainer.sim.NetworkModel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * Hop's bounds and both algorithms' deadlock freedom on the simulated transport: virtual time, so
 * slow workers cost nothing real and every run is deterministic.
 */
class SimulatedSyncTest {

  private static NetworkModel net(long latencyMicros) {
    return new NetworkModel(latencyMicros * 1000, 1e9, 64, Map.of());
  }

  private static List<float[]> run(
      AlgorithmConfig c, long[] iterations, long[] compute, long jitter, SyncObserver obs) {
    return SyncHarness.runSimulated(
        new SyncHarness.Run(c, iterations, compute, jitter, Duration.ofSeconds(30), obs),
        AlgorithmsTest.same(c.workers(), new float[3]),
        net(50));
  }

  @Test
  void hopNeverLetsAWorkerGetMoreThanTheGapAheadOfANeighbour() {
    record Graph(Topology.Kind kind, int n) {}
    for (Graph g :
        List.of(
            new Graph(Topology.Kind.RING, 7),
            new Graph(Topology.Kind.TORUS, 9),
            new Graph(Topology.Kind.RANDOM_REGULAR, 8),
            new Graph(Topology.Kind.COMPLETE, 5))) {
      for (int gap = 1; gap <= 4; gap++) {
        for (int backup = 0; backup <= 1; backup++) {
          int skip = gap >= 3 ? 1 : 0;
          HopOptions opt = new HopOptions(g.kind(), 3, gap, Math.min(1, gap), backup, skip);
          AlgorithmConfig c = HopTest.hop(g.n(), opt, gap * 10L + backup);
          HopTest.GapCheck check =
              new HopTest.GapCheck(Topology.of(g.kind(), g.n(), 3, c.seed()), gap);
          long[] compute = HopTest.fill(g.n(), 1000);
          compute[g.n() / 2] = 10_000; // one worker 10x slower
          run(c, HopTest.fill(g.n(), 60), compute, 0, check);
          assertThat(check.violations).as("%s gap %d backup %d", g, gap, backup).isEmpty();
        }
      }
    }
  }

  /** Records every averaging set per rank. */
  static final class Averages implements SyncObserver {
    final Queue<int[]>[] byRank;

    @SuppressWarnings("unchecked")
    Averages(int n) {
      byRank = new Queue[n];
      for (int i = 0; i < n; i++) {
        byRank[i] = new ConcurrentLinkedQueue<>();
      }
    }

    @Override
    public void averaged(int rank, long iteration, int[] with) {
      byRank[rank].add(with.clone());
    }
  }

  @Test
  void withBBackupWorkersAnIterationCompletesWithoutTheSlowestB() {
    int n = 6;
    for (int b = 0; b <= 2; b++) {
      // Complete graph, staleness 0: an update counts only in the iteration it was sent for, so
      // an averaging set without a rank means the iteration did not wait for that rank.
      AlgorithmConfig c = HopTest.hop(n, new HopOptions(Topology.Kind.COMPLETE, 3, 4, 0, b, 0), 5);
      long[] compute = HopTest.fill(n, 1000);
      int[] slow = {0, 1};
      compute[0] = 20_000;
      compute[1] = 15_000;
      Averages avg = new Averages(n);
      run(c, HopTest.fill(n, 40), compute, 0, avg);
      for (int r = 2; r < n; r++) {
        int withoutSlowest = 0;
        for (int[] with : avg.byRank[r]) {
          assertThat(with.length).as("b=%d rank %d", b, r).isGreaterThanOrEqualTo(n - 1 - b);
          int missingSlow =
              (int)
                  Arrays.stream(slow)
                      .filter(s -> Arrays.stream(with).noneMatch(w -> w == s))
                      .count();
          if (missingSlow >= b && b > 0 && with.length == n - 1 - b) {
            withoutSlowest++;
          }
          if (b == 0) {
            assertThat(with).hasSize(n - 1);
          }
        }
        if (b > 0) {
          assertThat(withoutSlowest)
              .as("b=%d: rank %d completes iterations without the %d slowest", b, r, b)
              .isGreaterThan(avg.byRank[r].size() / 2);
        }
      }
    }
  }

  @Test
  void everyRandomRunFinishesOnTheSimulatedTransport() {
    for (long seed = 1; seed <= 120; seed++) {
      Random rnd = new Random(seed * 7919);
      int n = 2 + rnd.nextInt(15);
      AlgorithmConfig c =
          seed % 2 == 0
              ? DeadlockFreedomTest.hop(n, rnd, seed)
              : DeadlockFreedomTest.ripples(n, rnd, seed);
      boolean uneven =
          c.kind() == AlgorithmKind.HOP || c.ripples().mode() == RipplesOptions.Mode.DYNAMIC;
      long[] iterations = new long[n];
      long[] compute = new long[n];
      for (int r = 0; r < n; r++) {
        iterations[r] = uneven ? 5 + rnd.nextInt(40) : 30;
        compute[r] = rnd.nextInt(4) == 0 ? 5_000 + rnd.nextInt(50_000) : 500 + rnd.nextInt(3000);
      }
      List<float[]> out =
          SyncHarness.runSimulated(
              new SyncHarness.Run(
                  c,
                  iterations,
                  compute,
                  rnd.nextInt(2000),
                  Duration.ofSeconds(30),
                  SyncObserver.NONE),
              AlgorithmsTest.same(n, new float[3]),
              net(rnd.nextInt(500)));
      assertThat(out).as("seed %d", seed).hasSize(n).doesNotContainNull();
    }
  }
}
