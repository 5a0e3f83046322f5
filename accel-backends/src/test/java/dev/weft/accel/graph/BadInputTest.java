package dev.weft.accel.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.data.graph.EdgeList;
import dev.weft.data.graph.Graph;
import org.junit.jupiter.api.Test;

class BadInputTest {

  private static final Graph NEGATIVE =
      Graph.from(
          new EdgeList(
              4, true, new int[] {0, 1, 2}, new int[] {1, 2, 3}, new float[] {1f, -2f, 3f}));

  @Test
  void ssspRejectsNegativeWeightsOnEveryBackend() {
    for (GraphBackend b : GraphBackends.all()) {
      try (GraphKernel k = b.prepare(NEGATIVE, TestGraphs.OPTIONS)) {
        assertThatThrownBy(() -> k.sssp(0))
            .as(b.name())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("edge 1→2 has weight -2.0");
      }
    }
  }

  @Test
  void negativeWeightsAreFineWhereTheyDoNotMatter() {
    // SpMV and BFS ignore the sign; only SSSP's (min, +) needs non-negative weights.
    for (GraphBackend b : GraphBackends.all()) {
      try (GraphKernel k = b.prepare(NEGATIVE, TestGraphs.OPTIONS)) {
        assertThat(k.spmv(new double[] {1, 1, 1, 1})).containsExactly(0, 1, -2, 3);
        assertThat(k.bfs(0)).containsExactly(0, 1, 2, 3);
      }
    }
  }

  @Test
  void sourceOutOfRangeIsRejected() {
    for (GraphBackend b : GraphBackends.all()) {
      try (GraphKernel k = b.prepare(NEGATIVE, TestGraphs.OPTIONS)) {
        assertThatThrownBy(() -> k.bfs(4)).as(b.name()).hasMessageContaining("source vertex 4");
        assertThatThrownBy(() -> k.sssp(-1)).as(b.name()).hasMessageContaining("source vertex -1");
        assertThatThrownBy(() -> k.spmv(new double[3])).hasMessageContaining("3 entries");
      }
    }
  }

  @Test
  void unknownBackendListsTheKnownOnes() {
    assertThatThrownBy(() -> GraphBackends.byName("gpu"))
        .hasMessageContaining("unknown graph backend 'gpu'")
        .hasMessageContaining("reference, java, tiles, pytorch");
  }

  @Test
  void configsAreValidated() {
    assertThatThrownBy(() -> new PageRankConfig(1.0, 1e-4, 20)).hasMessageContaining("damping");
    assertThatThrownBy(() -> new PageRankConfig(0.85, -1, 20)).hasMessageContaining("tolerance");
    assertThatThrownBy(() -> new BackendOptions(0, 8)).hasMessageContaining("threads");
    assertThatThrownBy(() -> new CfConfig(0, 1, 0.1, 0, 1)).hasMessageContaining("rank");
  }
}
