package dev.weft.accel.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weft.data.graph.Graph;
import dev.weft.data.graph.GraphGenerators;
import dev.weft.data.graph.KroneckerConfig;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The must-show property: every backend agrees with the textbook reference on random graphs. */
class BackendAgreementTest {

  private static final PageRankConfig PR = new PageRankConfig(0.85, 1e-10, 200);

  @Property(tries = 200, seed = "20180224")
  void backendsAgreeWithReference(
      @ForAll @IntRange(min = 1, max = 80) int n,
      @ForAll @IntRange(min = 0, max = 400) int m,
      @ForAll boolean directed,
      @ForAll boolean weighted,
      @ForAll @IntRange(min = 0, max = 1000) int sourcePick,
      @ForAll long seed) {
    Graph g = TestGraphs.random(n, m, directed, weighted, seed);
    assertAgree(g, sourcePick % n, seed);
  }

  @Test
  void backendsAgreeOnKronecker() {
    // Large enough that the java backend's BFS pushes on sparse levels and pulls on dense ones.
    Graph g =
        Graph.from(
            GraphGenerators.withRandomWeights(
                GraphGenerators.kronecker(KroneckerConfig.graph500(10, 3)), 1, 255, 4));
    assertAgree(g, 0, 5);
  }

  private static void assertAgree(Graph g, int source, long seed) {
    GraphKernel ref = new ReferenceBackend().prepare(g, TestGraphs.OPTIONS);
    PageRankResult prRef = ref.pageRank(PR);
    double[] x = TestGraphs.vector(g.numVertices(), seed);
    double[] yRef = ref.spmv(x);
    int[] bfsRef = ref.bfs(source);
    double[] ssspRef = ref.sssp(source);
    int[] ccRef = ref.components();
    for (GraphBackend b : TestGraphs.fastBackends()) {
      try (GraphKernel k = b.prepare(g, TestGraphs.OPTIONS)) {
        String why = b.name() + " on " + g;
        PageRankResult pr = k.pageRank(PR);
        assertThat(l1(pr.ranks(), prRef.ranks()))
            .as(why + " pagerank L1")
            .isLessThanOrEqualTo(1e-6);
        assertThat(pr.iterations()).as(why).isEqualTo(prRef.iterations());
        double[] y = k.spmv(x);
        for (int v = 0; v < y.length; v++) {
          assertThat(y[v]).as(why + " spmv y[" + v + "]").isCloseTo(yRef[v], within(1e-9));
        }
        assertThat(k.bfs(source)).as(why + " bfs").isEqualTo(bfsRef);
        assertThat(k.sssp(source)).as(why + " sssp").isEqualTo(ssspRef);
        assertThat(k.components()).as(why + " cc").isEqualTo(ccRef);
        assertThat(Checksums.bfs(k.bfs(source))).isEqualTo(Checksums.bfs(bfsRef));
        assertThat(Checksums.pageRank(pr)).isEqualTo(Checksums.pageRank(prRef));
      }
    }
  }

  static double l1(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += Math.abs(a[i] - b[i]);
    }
    return s;
  }
}
