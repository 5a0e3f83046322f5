package dev.weft.data.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class GraphTest {

  static EdgeList randomEdges(int n, int m, boolean directed, boolean weighted, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[] s = new int[m];
    int[] d = new int[m];
    float[] w = weighted ? new float[m] : null;
    for (int e = 0; e < m; e++) {
      s[e] = rng.nextInt(n);
      d[e] = rng.nextInt(n);
      if (w != null) {
        w[e] = rng.nextInt(1, 100);
      }
    }
    return new EdgeList(n, directed, s, d, w);
  }

  @Property(tries = 200, seed = "11")
  void csrAndCscHoldTheSameEdgeSetWithMinWeights(
      @ForAll @IntRange(min = 1, max = 40) int n,
      @ForAll @IntRange(min = 0, max = 200) int m,
      @ForAll boolean directed,
      @ForAll long seed) {
    EdgeList edges = randomEdges(n, m, directed, true, seed);
    Graph g = Graph.from(edges);
    // Expected: each (s,d) (both ways when undirected) with its smallest weight.
    Map<Long, Float> expected = new HashMap<>();
    for (int e = 0; e < m; e++) {
      put(expected, edges.src()[e], edges.dst()[e], edges.weights()[e]);
      if (!directed) {
        put(expected, edges.dst()[e], edges.src()[e], edges.weights()[e]);
      }
    }
    Map<Long, Float> csr = new HashMap<>();
    for (int v = 0; v < n; v++) {
      int prev = -1;
      for (int e = g.outOffsets()[v]; e < g.outOffsets()[v + 1]; e++) {
        assertThat(g.outTargets()[e]).isGreaterThan(prev);
        prev = g.outTargets()[e];
        csr.put(key(v, g.outTargets()[e]), g.weight(e));
        assertThat(g.sourceOf(e)).isEqualTo(v);
      }
    }
    assertThat(csr).isEqualTo(expected);
    Map<Long, Float> csc = new HashMap<>();
    for (int v = 0; v < n; v++) {
      for (int k = g.inOffsets()[v]; k < g.inOffsets()[v + 1]; k++) {
        int e = g.inEdgeIds()[k];
        assertThat(g.outTargets()[e]).isEqualTo(v);
        csc.put(key(g.inSources()[k], v), g.weight(e));
      }
    }
    assertThat(csc).isEqualTo(expected);
  }

  private static void put(Map<Long, Float> map, int s, int d, float w) {
    map.merge(key(s, d), w, Math::min);
  }

  private static long key(int s, int d) {
    return ((long) s << 32) | d;
  }

  @Test
  void negativeWeightsSurviveOrdering() {
    EdgeList e =
        new EdgeList(
            2, true, new int[] {0, 0, 0}, new int[] {1, 1, 1}, new float[] {3f, -2.5f, -1f});
    Graph g = Graph.from(e);
    assertThat(g.numEdges()).isEqualTo(1);
    assertThat(g.weight(0)).isEqualTo(-2.5f);
    assertThat(g.minWeight()).isEqualTo(-2.5f);
  }
}
