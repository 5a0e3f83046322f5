package dev.weft.accel.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.data.graph.EdgeList;
import dev.weft.data.graph.Graph;
import dev.weft.data.graph.TiledGraph;
import org.junit.jupiter.api.Test;

class TileCountersTest {

  /** Path 0→1→…→15, C = 4: 7 non-empty tiles, 15 edges. */
  private static Graph path() {
    int[] s = new int[15];
    int[] d = new int[15];
    for (int i = 0; i < 15; i++) {
      s[i] = i;
      d[i] = i + 1;
    }
    return Graph.from(new EdgeList(16, true, s, d, null));
  }

  @Test
  void pageRankStreamsEveryTileOncePerIteration() {
    Graph g = path();
    try (GraphKernel k = new TilesBackend().prepare(g, new BackendOptions(1, 4))) {
      PageRankResult r = k.pageRank(new PageRankConfig(0.85, 0, 5));
      TileCounters c = k.tileCounters();
      assertThat(c.passes()).isEqualTo(r.iterations());
      assertThat(c.macTiles()).isEqualTo(5L * TiledGraph.build(g, 4).numTiles());
      assertThat(c.edges()).isEqualTo(5L * 15);
      assertThat(c.addOpTiles()).isZero();
    }
  }

  @Test
  void bfsLoadsOnlyTilesWithAnActiveRow() {
    try (GraphKernel k = new TilesBackend().prepare(path(), new BackendOptions(1, 4))) {
      int[] depth = k.bfs(0);
      assertThat(depth[15]).isEqualTo(15);
      TileCounters c = k.tileCounters();
      // 16 levels (the last finds nothing); each of the 15 edges is relaxed once by a single
      // active row, in exactly one tile.
      assertThat(c.passes()).isEqualTo(16);
      assertThat(c.addOpRows()).isEqualTo(15);
      assertThat(c.addOpTiles()).isEqualTo(15);
      assertThat(c.edges()).isEqualTo(15);
      assertThat(c.macTiles()).isZero();
    }
  }

  @Test
  void javaBackendGivesTheSameAnswerWithOneOrManyThreads() {
    Graph g = TestGraphs.random(500, 5000, true, true, 99);
    try (GraphKernel one = new JavaBackend().prepare(g, new BackendOptions(1, 8));
        GraphKernel four = new JavaBackend().prepare(g, new BackendOptions(4, 8))) {
      assertThat(four.sssp(7)).isEqualTo(one.sssp(7));
      assertThat(four.bfs(7)).isEqualTo(one.bfs(7));
      assertThat(four.pageRank(PageRankConfig.gap()).ranks())
          .isEqualTo(one.pageRank(PageRankConfig.gap()).ranks());
    }
  }
}
