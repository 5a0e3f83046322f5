package dev.weft.trainer.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.trainer.comm.Clock;
import dev.weft.trainer.comm.LocalNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class RipplesTest {

  static AlgorithmConfig ripples(int workers, RipplesOptions opt, long seed) {
    return new AlgorithmConfig(
        AlgorithmKind.RIPPLES,
        workers,
        opt.generatorProcesses(),
        false,
        0.1f,
        3,
        Duration.ofSeconds(20),
        seed,
        HopOptions.DEFAULTS,
        opt);
  }

  @Test
  void partialAllReduceGivesEveryMemberTheExactGroupMeanAndLeavesOthersAlone() throws Exception {
    int n = 7;
    int len = 1001;
    int[][] groups = {{4, 1, 3}, {0, 5}}; // two disjoint groups at once; 2 and 6 take no part
    float[][] in = new float[n][len];
    Random rnd = new Random(11);
    for (float[] row : in) {
      for (int i = 0; i < len; i++) {
        row[i] = (float) rnd.nextGaussian() * 10;
      }
    }
    LocalNetwork local = new LocalNetwork(n, Clock.system());
    List<float[]> out =
        Cluster.run(
            local::peer,
            n,
            net -> {
              float[] x = in[net.rank()].clone();
              for (int g = 0; g < groups.length; g++) {
                if (Arrays.stream(groups[g]).anyMatch(m -> m == net.rank())) {
                  Ripples.partialAllReduce(
                      net, groups[g], "pr/" + g, x, 64, Duration.ofSeconds(10));
                }
              }
              return x;
            });
    for (int[] group : groups) {
      for (int i = 0; i < len; i++) {
        double mean = 0;
        for (int m : group) {
          mean += in[m][i];
        }
        mean /= group.length;
        for (int m : group) {
          assertThat((double) out.get(m)[i]).isCloseTo(mean, Offset.offset(1e-5));
          // Bit-identical on every member: they hold the same model afterwards.
          assertThat(out.get(m)[i]).isEqualTo(out.get(group[0])[i]);
        }
      }
    }
    assertThat(out.get(2)).containsExactly(in[2]);
    assertThat(out.get(6)).containsExactly(in[6]);
  }

  @Test
  void convergesInEveryModeAndPartnerPolicy() throws Exception {
    for (RipplesOptions opt :
        List.of(
            new RipplesOptions(RipplesOptions.Mode.DYNAMIC, 3, RipplesOptions.Partners.READY, 1),
            new RipplesOptions(RipplesOptions.Mode.DYNAMIC, 2, RipplesOptions.Partners.RANDOM, 2),
            new RipplesOptions(RipplesOptions.Mode.STATIC, 3, RipplesOptions.Partners.READY, 1))) {
      int n = 6;
      List<float[]> out =
          SyncHarness.run(
              new SyncHarness.Run(
                  ripples(n, opt, 3),
                  HopTest.fill(n, 150),
                  HopTest.fill(n, 300),
                  0,
                  Duration.ofSeconds(60),
                  SyncObserver.NONE),
              AlgorithmsTest.same(n, new float[4]));
      for (float[] x : out) {
        for (int i = 0; i < x.length; i++) {
          assertThat(x[i])
              .as(opt + " coordinate " + i)
              .isCloseTo((n - 1) / 2f + i, Offset.offset(0.5f));
        }
      }
    }
  }

  /** Records the groups each rank executed, in order. */
  static final class Executed implements SyncObserver {
    final Map<Integer, List<Long>> byRank = new ConcurrentHashMap<>();
    final Map<Long, int[]> members = new ConcurrentHashMap<>();

    @Override
    public void reduced(int rank, long id, int[] m) {
      byRank.computeIfAbsent(rank, r -> new CopyOnWriteArrayList<>()).add(id);
      members.put(id, m);
    }
  }

  @Test
  void everyWorkerExecutesSharedGroupsInTheGeneratorsOrder() throws Exception {
    for (RipplesOptions.Partners p : RipplesOptions.Partners.values()) {
      int n = 8;
      Executed ex = new Executed();
      long[] compute = HopTest.fill(n, 200);
      compute[5] = 3000;
      SyncHarness.run(
          new SyncHarness.Run(
              ripples(n, new RipplesOptions(RipplesOptions.Mode.DYNAMIC, 3, p, 2), 5),
              HopTest.fill(n, 40),
              compute,
              200,
              Duration.ofSeconds(60),
              ex),
          AlgorithmsTest.same(n, new float[3]));
      for (int r = 0; r < n; r++) {
        List<Long> ids = ex.byRank.get(r);
        // Group ids are the generator's order: a buffer executed in order is increasing.
        assertThat(ids).as(p + " rank " + r).isSorted().doesNotHaveDuplicates();
        for (long id : ids) {
          assertThat(ex.members.get(id)).contains(r);
        }
      }
      // Every member of every group executed it.
      for (var e : ex.members.entrySet()) {
        for (int m : e.getValue()) {
          assertThat(ex.byRank.get(m)).contains(e.getKey());
        }
      }
    }
  }

  @Test
  void staticScheduleIsARotationOfDisjointPartitions() {
    int n = 10;
    StaticSchedule s = new StaticSchedule(n, 3, 9);
    Set<String> distinct = new HashSet<>();
    for (long it = 0; it < 2L * n; it++) {
      List<Integer> covered = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        int[] g = s.groupOf(it, r);
        assertThat(g).contains(r);
        assertThat(g.length).isBetween(3, 5);
        for (int m : g) {
          assertThat(s.groupOf(it, m)).containsExactly(g);
        }
        if (g[0] == r) {
          for (int m : g) {
            covered.add(m);
          }
        }
        distinct.add(Arrays.toString(g));
      }
      assertThat(covered).hasSize(n).doesNotHaveDuplicates();
      assertThat(s.groupOf(it + n, 4)).containsExactly(s.groupOf(it, 4));
    }
    assertThat(distinct.size()).isGreaterThan(n / 3);
  }

  @Test
  void badOptionsAreRejectedWithTheFlagName() {
    assertThatThrownBy(
            () ->
                new RipplesOptions(
                    RipplesOptions.Mode.DYNAMIC, 1, RipplesOptions.Partners.READY, 1))
        .hasMessageContaining("--group-size");
    assertThatThrownBy(() -> RipplesOptions.Mode.parse("lazy")).hasMessageContaining("static");
    assertThatThrownBy(
            () ->
                new AlgorithmConfig(
                    AlgorithmKind.RIPPLES,
                    4,
                    0,
                    false,
                    0.1f,
                    3,
                    Duration.ofSeconds(1),
                    1,
                    HopOptions.DEFAULTS,
                    RipplesOptions.DEFAULTS))
        .hasMessageContaining("group-generator");
  }
}
