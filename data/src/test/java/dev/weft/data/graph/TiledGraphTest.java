package dev.weft.data.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TiledGraphTest {

  @Property(tries = 150, seed = "12")
  void tilesCoverEveryEdgeOnceInStreamingOrder(
      @ForAll @IntRange(min = 1, max = 60) int n,
      @ForAll @IntRange(min = 0, max = 300) int m,
      @ForAll @IntRange(min = 1, max = 9) int c,
      @ForAll boolean transposed,
      @ForAll long seed) {
    Graph g = Graph.from(GraphTest.randomEdges(n, m, true, false, seed));
    TiledGraph t = transposed ? TiledGraph.buildTransposed(g, c) : TiledGraph.build(g, c);
    Set<Integer> seen = new HashSet<>();
    long lastKey = -1;
    for (int tile = 0; tile < t.numTiles(); tile++) {
      // Non-empty, column-major (stripe, then row block), strictly increasing.
      assertThat(t.tileEnd(tile)).isGreaterThan(t.tileStart(tile));
      long key = ((long) t.tileCol(tile) << 32) | t.tileRow(tile);
      assertThat(key).isGreaterThan(lastKey);
      lastKey = key;
      assertThat(tile)
          .isBetween(t.stripeStart(t.tileCol(tile)), t.stripeStart(t.tileCol(tile) + 1) - 1);
      for (int e = t.tileStart(tile); e < t.tileEnd(tile); e++) {
        int id = t.edgeId()[e];
        assertThat(seen.add(id)).isTrue();
        int s = g.sourceOf(id);
        int d = g.outTargets()[id];
        int read = transposed ? d : s;
        int written = transposed ? s : d;
        assertThat(t.edgeSrc()[e]).isEqualTo(read);
        assertThat(t.edgeDst()[e]).isEqualTo(written);
        assertThat(read / c).isEqualTo(t.tileRow(tile));
        assertThat(written / c).isEqualTo(t.tileCol(tile));
      }
    }
    assertThat(seen).hasSize(g.numEdges());
  }

  @Test
  void emptyTilesAreSkipped() {
    // A 16-vertex path 0→1→…→15 with C = 4: only diagonal and just-above-diagonal tiles.
    int[] s = new int[15];
    int[] d = new int[15];
    for (int i = 0; i < 15; i++) {
      s[i] = i;
      d[i] = i + 1;
    }
    TiledGraph t = TiledGraph.build(Graph.from(new EdgeList(16, true, s, d, null)), 4);
    assertThat(t.numTiles()).isEqualTo(7);
    assertThat(t.numStripes()).isEqualTo(4);
    assertThat(t.tileDensity()).isEqualTo(15.0 / (7 * 16));
  }
}
