package dev.weft.data.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class MatrixMarketReaderTest {

  private static EdgeList read(String text) throws IOException {
    return MatrixMarketReader.read(new StringReader(text), "m.mtx");
  }

  @Test
  void readsGeneralRealMatrix() throws IOException {
    EdgeList e =
        read(
            "%%MatrixMarket matrix coordinate real general\n% a comment\n3 3 2\n1 2 1.5\n3 1 -2\n");
    assertThat(e.numVertices()).isEqualTo(3);
    assertThat(e.directed()).isTrue();
    assertThat(e.src()).containsExactly(0, 2);
    assertThat(e.dst()).containsExactly(1, 0);
    assertThat(e.weights()).containsExactly(1.5f, -2f);
  }

  @Test
  void symmetricPatternIsUndirectedUnweighted() throws IOException {
    EdgeList e = read("%%MatrixMarket matrix coordinate pattern symmetric\n4 4 2\n2 1\n4 3\n");
    assertThat(e.directed()).isFalse();
    assertThat(e.weighted()).isFalse();
    assertThat(Graph.from(e).numEdges()).isEqualTo(4);
  }

  @Test
  void badInputNamesTheLine() {
    assertThatThrownBy(() -> read("%%MatrixMarket matrix array real general\n2 2\n"))
        .isInstanceOf(GraphFormatException.class)
        .hasMessageContaining("m.mtx:1");
    assertThatThrownBy(() -> read("%%MatrixMarket matrix coordinate real general\n2 2 1\n1 2\n"))
        .hasMessageContaining("m.mtx:3")
        .hasMessageContaining("expected 3 fields");
    assertThatThrownBy(() -> read("%%MatrixMarket matrix coordinate pattern general\n2 2 1\n1 3\n"))
        .hasMessageContaining("m.mtx:3")
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> read("%%MatrixMarket matrix coordinate pattern general\n2 2 1\n0 1\n"))
        .hasMessageContaining("below the first id 1");
    assertThatThrownBy(() -> read("%%MatrixMarket matrix coordinate pattern general\n2 2 2\n1 2\n"))
        .hasMessageContaining("declares 2 entries but the file has 1");
    assertThatThrownBy(() -> read("%%MatrixMarket matrix coordinate pattern general\n2 3 0\n"))
        .hasMessageContaining("square");
  }
}
