package dev.weft.accel.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weft.data.graph.Graph;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Each backend's semiring primitives against the reference kernel's, in both directions. */
class PrimitivesTest {

  @Property(tries = 40, seed = "8")
  void multiplyRelaxAndSpmmMatchReference(
      @ForAll @IntRange(min = 1, max = 50) int n,
      @ForAll @IntRange(min = 0, max = 250) int m,
      @ForAll boolean directed,
      @ForAll long seed) {
    Graph g = TestGraphs.random(n, m, directed, true, seed);
    GraphKernel ref = new ReferenceBackend().prepare(g, TestGraphs.OPTIONS);
    double[] x = TestGraphs.vector(n, seed + 1);
    for (int i = 0; i < n; i++) {
      x[i] = Math.abs(x[i]) * 10; // min semirings: non-negative values, like distances
    }
    int[] frontier = java.util.stream.IntStream.range(0, n).filter(v -> v % 3 != 1).toArray();
    int k = 3;
    double[] edgeValues = TestGraphs.vector(g.numEdges(), seed + 2);
    double[] dense = TestGraphs.vector(n * k, seed + 3);
    for (GraphBackend b : TestGraphs.fastBackends()) {
      try (GraphKernel kernel = b.prepare(g, TestGraphs.OPTIONS)) {
        for (Direction dir : Direction.values()) {
          for (Semiring sr : Semiring.values()) {
            double[] want = new double[n];
            double[] got = new double[n];
            ref.multiply(sr, dir, x, want);
            kernel.multiply(sr, dir, x, got);
            for (int v = 0; v < n; v++) {
              assertThat(got[v])
                  .as(b.name() + " " + sr + " " + dir)
                  .isCloseTo(want[v], within(1e-9));
            }
            if (sr.isMin()) {
              double[] a = x.clone();
              double[] c = x.clone();
              int[] changedRef = ref.relax(sr, dir, a, frontier);
              int[] changed = kernel.relax(sr, dir, c, frontier);
              Arrays.sort(changedRef);
              Arrays.sort(changed);
              assertThat(changed).as(b.name() + " relax " + sr + " " + dir).isEqualTo(changedRef);
            }
          }
          double[] want = new double[n * k];
          double[] got = new double[n * k];
          ref.spmm(dir, edgeValues, dense, k, want);
          kernel.spmm(dir, edgeValues, dense, k, got);
          for (int i = 0; i < want.length; i++) {
            assertThat(got[i]).as(b.name() + " spmm " + dir).isCloseTo(want[i], within(1e-9));
          }
        }
      }
    }
  }
}
