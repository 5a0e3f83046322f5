package dev.weft.trainer.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class HopTest {

  static AlgorithmConfig hop(int workers, HopOptions opt, long seed) {
    return new AlgorithmConfig(
        AlgorithmKind.HOP,
        workers,
        0,
        false,
        0.1f,
        3,
        Duration.ofSeconds(20),
        seed,
        opt,
        RipplesOptions.DEFAULTS);
  }

  static long[] fill(int n, long v) {
    long[] a = new long[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  static List<float[]> run(
      AlgorithmConfig c, long iterations, long[] computeMicros, SyncObserver extra)
      throws Exception {
    return SyncHarness.run(
        new SyncHarness.Run(
            c, fill(c.workers(), iterations), computeMicros, 0, Duration.ofSeconds(60), extra),
        AlgorithmsTest.same(c.workers(), new float[4]));
  }

  @Test
  void convergesToTheMeanOfTheTargetsOnEveryTopology() throws Exception {
    for (Topology.Kind k : Topology.Kind.values()) {
      int n = 6;
      AlgorithmConfig c = hop(n, new HopOptions(k, 3, 3, 1, 0, 0), 7);
      List<float[]> out = run(c, 150, fill(n, 300), SyncObserver.NONE);
      for (float[] x : out) {
        for (int i = 0; i < x.length; i++) {
          assertThat(x[i])
              .as(k + " coordinate " + i)
              .isCloseTo((n - 1) / 2f + i, Offset.offset(0.3f));
        }
      }
    }
  }

  /** Tracks each worker's iteration and checks the gap whenever one enters an iteration. */
  static final class GapCheck implements SyncObserver {
    final Topology topology;
    final AtomicLongArray current;
    final int maxGap;
    final Queue<String> violations = new ConcurrentLinkedQueue<>();
    final AtomicInteger skips = new AtomicInteger();

    GapCheck(Topology topology, int maxGap) {
      this.topology = topology;
      this.current = new AtomicLongArray(topology.size());
      this.maxGap = maxGap;
    }

    @Override
    public void entered(int rank, long iteration) {
      current.set(rank, iteration);
      for (int j : topology.neighbours(rank)) {
        long gap = iteration - current.get(j);
        // A finishing neighbour sent its final token and no longer holds anyone back.
        if (gap > maxGap) {
          violations.add(
              rank
                  + " entered "
                  + iteration
                  + " while neighbour "
                  + j
                  + " is at "
                  + current.get(j));
        }
      }
    }

    @Override
    public void finishing(int rank) {
      current.set(rank, Long.MAX_VALUE / 2);
    }

    @Override
    public void skipped(int rank, long from, long to) {
      skips.incrementAndGet();
    }
  }

  @Test
  void noWorkerGetsMoreThanTheGapAheadOfANeighbour() throws Exception {
    int n = 6;
    for (int gap = 1; gap <= 4; gap++) {
      for (int skip : gap >= 3 ? new int[] {0, gap - 2} : new int[] {0}) {
        HopOptions opt = new HopOptions(Topology.Kind.RING, 3, gap, 0, 1, skip);
        AlgorithmConfig c = hop(n, opt, gap);
        GapCheck check = new GapCheck(Topology.of(Topology.Kind.RING, n, 3, gap), gap);
        long[] compute = fill(n, 100);
        compute[2] = 3000; // one worker 30x slower: the fast ones press against the bound
        run(c, 60, compute, check);
        assertThat(check.violations).as("gap %d skip %d", gap, skip).isEmpty();
        if (skip > 0) {
          assertThat(check.skips.get()).as("the slow worker skipped ahead").isPositive();
        }
      }
    }
  }

  /** Counts, per rank, the iterations averaged without a given neighbour. */
  static final class Without implements SyncObserver {
    final int slow;
    final AtomicInteger[] without;
    final AtomicInteger[] total;

    Without(int n, int slow) {
      this.slow = slow;
      this.without = new AtomicInteger[n];
      this.total = new AtomicInteger[n];
      for (int i = 0; i < n; i++) {
        without[i] = new AtomicInteger();
        total[i] = new AtomicInteger();
      }
    }

    @Override
    public void averaged(int rank, long iteration, int[] with) {
      total[rank].incrementAndGet();
      if (java.util.Arrays.stream(with).noneMatch(r -> r == slow)) {
        without[rank].incrementAndGet();
      }
    }
  }

  @Test
  void withBackupWorkersIterationsCompleteWithoutTheSlowest() throws Exception {
    int n = 4;
    long[] compute = fill(n, 200);
    compute[0] = 20_000;
    // Ring: ranks 1 and 3 neighbour the slow rank 0. Staleness 0: only this iteration's updates
    // count, so an average without rank 0 means the iteration did not wait for it.
    Without backup = new Without(n, 0);
    run(hop(n, new HopOptions(Topology.Kind.RING, 3, 3, 0, 1, 0), 3), 20, compute, backup);
    Without none = new Without(n, 0);
    run(hop(n, new HopOptions(Topology.Kind.RING, 3, 3, 0, 0, 0), 3), 20, compute, none);
    for (int r : new int[] {1, 3}) {
      assertThat(backup.without[r].get()).as("rank %d with 1 backup", r).isPositive();
      assertThat(none.without[r].get()).as("rank %d with no backup", r).isZero();
    }
  }

  @Test
  void badOptionsAreRejectedWithTheFlagName() {
    assertThatThrownBy(() -> new HopOptions(Topology.Kind.RING, 3, 0, 0, 0, 0))
        .hasMessageContaining("--hop-max-gap");
    assertThatThrownBy(() -> new HopOptions(Topology.Kind.RING, 3, 2, 3, 0, 0))
        .hasMessageContaining("--hop-staleness");
    assertThatThrownBy(() -> new HopOptions(Topology.Kind.RING, 3, 2, 1, -1, 0))
        .hasMessageContaining("--hop-backup");
    assertThatThrownBy(() -> new HopOptions(Topology.Kind.RING, 3, 3, 1, 0, 2))
        .hasMessageContaining("--hop-skip");
    assertThatThrownBy(() -> Topology.Kind.parse("star")).hasMessageContaining("random-regular");
  }
}
