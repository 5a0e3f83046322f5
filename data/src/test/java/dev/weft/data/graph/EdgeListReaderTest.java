package dev.weft.data.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgeListReaderTest {

  @TempDir Path dir;

  private static EdgeList read(String text, LoadOptions options) throws IOException {
    return EdgeListReader.read(new StringReader(text), "test.el", options);
  }

  @Test
  void readsSnapFileWithCommentsAndTabs() throws IOException {
    String text =
        "# Directed graph: test\n# Nodes: 4 Edges: 3\n0\t1\n1\t2\n\n% also a comment\n3 0\n";
    EdgeList e = read(text, LoadOptions.snap());
    assertThat(e.numVertices()).isEqualTo(4);
    assertThat(e.src()).containsExactly(0, 1, 3);
    assertThat(e.dst()).containsExactly(1, 2, 0);
    assertThat(e.directed()).isTrue();
    assertThat(e.weighted()).isFalse();
  }

  @Test
  void oneBasedWeightedUndirected() throws IOException {
    EdgeList e = read("1 2 0.5\n2 3 7\n", new LoadOptions(false, true, IdBase.ONE, -1));
    assertThat(e.numVertices()).isEqualTo(3);
    assertThat(e.src()).containsExactly(0, 1);
    assertThat(e.dst()).containsExactly(1, 2);
    assertThat(e.weights()).containsExactly(0.5f, 7f);
    Graph g = Graph.from(e);
    // Undirected: both directions stored.
    assertThat(g.numEdges()).isEqualTo(4);
    assertThat(g.outDegree(1)).isEqualTo(2);
  }

  @Test
  void malformedLineNamesFileAndLine() throws IOException {
    Path f = dir.resolve("bad.el");
    Files.writeString(f, "# header\n0 1\n1 x\n");
    assertThatThrownBy(() -> GraphFiles.load(f, LoadOptions.snap()))
        .isInstanceOf(GraphFormatException.class)
        .hasMessageContaining("bad.el:3")
        .hasMessageContaining("'x' is not an integer");
  }

  @Test
  void wrongFieldCountIsAnError() {
    assertThatThrownBy(() -> read("0 1\n0 1 2\n", LoadOptions.snap()))
        .isInstanceOf(GraphFormatException.class)
        .hasMessageContaining("test.el:2")
        .hasMessageContaining("3 field(s)");
    assertThatThrownBy(() -> read("0 1 2\n0\n", LoadOptions.snap().withWeighted(true)))
        .hasMessageContaining("test.el:2");
  }

  @Test
  void badWeightIsAnError() {
    assertThatThrownBy(() -> read("0 1 NaN\n", LoadOptions.snap().withWeighted(true)))
        .isInstanceOf(GraphFormatException.class)
        .hasMessageContaining("test.el:1")
        .hasMessageContaining("not finite");
    assertThatThrownBy(() -> read("0 1 heavy\n", LoadOptions.snap().withWeighted(true)))
        .hasMessageContaining("not a number");
  }

  @Test
  void idsOutOfRangeAreErrors() {
    assertThatThrownBy(() -> read("0 1\n2 5\n", LoadOptions.snap().withNumVertices(4)))
        .isInstanceOf(GraphFormatException.class)
        .hasMessageContaining("test.el:2")
        .hasMessageContaining("vertex id 5 is out of range");
    assertThatThrownBy(() -> read("1 2\n0 1\n", LoadOptions.snap().withIdBase(IdBase.ONE)))
        .hasMessageContaining("test.el:2")
        .hasMessageContaining("below the first id 1");
    assertThatThrownBy(() -> read("-3 1\n", LoadOptions.snap()))
        .hasMessageContaining("below the first id 0");
    assertThatThrownBy(() -> read("0 99999999999\n", LoadOptions.snap()))
        .hasMessageContaining("out of range");
  }

  @Test
  void missingFileIsAnInputError() {
    assertThatThrownBy(() -> GraphFiles.load(dir.resolve("nope.el"), LoadOptions.snap()))
        .isInstanceOf(GraphFormatException.class)
        .hasMessageContaining("nope.el")
        .hasMessageContaining("no such file");
  }

  @Test
  void writeThenReadRoundTrips() throws IOException {
    EdgeList e =
        GraphGenerators.withRandomWeights(
            GraphGenerators.uniform(new UniformConfig(6, 4, true, 3)), 1, 255, 9);
    Path f = dir.resolve("g.wel");
    GraphFiles.writeEdgeList(e, f);
    EdgeList back = GraphFiles.load(f, LoadOptions.snap().withNumVertices(64));
    assertThat(back).isEqualTo(e);
  }
}
