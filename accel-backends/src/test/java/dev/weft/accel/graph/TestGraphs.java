package dev.weft.accel.graph;

import dev.weft.data.graph.EdgeList;
import dev.weft.data.graph.Graph;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded random graphs and the backends under test. */
final class TestGraphs {

  private TestGraphs() {}

  /** Small tiles so even tiny graphs span several stripes; 2 threads so the pools fork. */
  static final BackendOptions OPTIONS = new BackendOptions(2, 3);

  static List<GraphBackend> fastBackends() {
    return GraphBackends.all().stream().filter(b -> !b.name().equals("reference")).toList();
  }

  /**
   * n vertices, m random edges; weights (when asked) are non-integers in [0, 10) so SSSP path sums
   * round, and the bitwise agreement of distances is really tested.
   */
  static Graph random(int n, int m, boolean directed, boolean weighted, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[] s = new int[m];
    int[] d = new int[m];
    float[] w = weighted ? new float[m] : null;
    for (int e = 0; e < m; e++) {
      s[e] = rng.nextInt(n);
      d[e] = rng.nextInt(n);
      if (w != null) {
        w[e] = (float) (rng.nextDouble() * 10);
      }
    }
    return Graph.from(new EdgeList(n, directed, s, d, w));
  }

  static double[] vector(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = rng.nextDouble() * 2 - 1;
    }
    return x;
  }
}
