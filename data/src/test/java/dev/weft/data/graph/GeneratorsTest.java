package dev.weft.data.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GeneratorsTest {

  @Test
  void kroneckerIsSeededAndSkewed() {
    EdgeList a = GraphGenerators.kronecker(KroneckerConfig.graph500(12, 7));
    EdgeList b = GraphGenerators.kronecker(KroneckerConfig.graph500(12, 7));
    EdgeList c = GraphGenerators.kronecker(KroneckerConfig.graph500(12, 8));
    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
    assertThat(a.numVertices()).isEqualTo(4096);
    assertThat(a.numEdges()).isEqualTo(16 * 4096);
    assertThat(a.directed()).isFalse();
    Graph g = Graph.from(a);
    int[] deg = new int[g.numVertices()];
    for (int v = 0; v < deg.length; v++) {
      deg[v] = g.outDegree(v);
    }
    Arrays.sort(deg);
    // Power law: the top vertex has far more than the average degree (~32), many have (almost)
    // none.
    assertThat(deg[deg.length - 1]).isGreaterThan(20 * 32);
    assertThat(deg[deg.length / 10]).isLessThanOrEqualTo(1);
  }

  @Test
  void uniformIsSeededAndFlat() {
    EdgeList a = GraphGenerators.uniform(UniformConfig.gap(12, 5));
    assertThat(a).isEqualTo(GraphGenerators.uniform(UniformConfig.gap(12, 5)));
    Graph g = Graph.from(a);
    int max = 0;
    for (int v = 0; v < g.numVertices(); v++) {
      max = Math.max(max, g.outDegree(v));
    }
    assertThat(max).isLessThan(80);
  }

  @Test
  void weightsAreIntegersInGapRange() {
    EdgeList w =
        GraphGenerators.withRandomWeights(
            GraphGenerators.uniform(UniformConfig.gap(8, 1)), 1, 255, 3);
    for (float x : w.weights()) {
      assertThat(x).isBetween(1f, 255f);
      assertThat(x).isEqualTo((float) Math.rint(x));
    }
  }

  @Test
  void ratingsAreLowRankAndBipartite() {
    Ratings r = Ratings.generate(new RatingsConfig(50, 40, 3, 10, 0.1, 1));
    assertThat(r.size()).isEqualTo(500);
    for (float x : r.rating()) {
      assertThat(x).isBetween(1f, 5f);
    }
    EdgeList e = r.toEdgeList();
    assertThat(e.numVertices()).isEqualTo(90);
    Ratings back = Ratings.fromEdgeList(e, 50);
    assertThat(back.item()).isEqualTo(r.item());
    assertThat(Ratings.generate(new RatingsConfig(50, 40, 3, 10, 0.1, 1)).rating())
        .isEqualTo(r.rating());
  }

  @Test
  void configsAreValidated() {
    assertThatThrownBy(() -> new KroneckerConfig(0, 16, 0.57, 0.19, 0.19, false, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KroneckerConfig(10, 16, 0.6, 0.3, 0.2, false, 1))
        .hasMessageContaining("a + b + c < 1");
    assertThatThrownBy(() -> new RatingsConfig(5, 3, 2, 4, 0, 1))
        .hasMessageContaining("ratingsPerUser");
    assertThatThrownBy(() -> new LoadOptions(true, false, null, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
