package dev.weft.cli.graph;

import dev.weft.data.graph.EdgeList;
import dev.weft.data.graph.GraphFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft graph export}: writes a graph as a 0-based edge list for GAP, JGraphT, etc. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description =
        "Write the graph as a 0-based 'src dst [weight]' edge list (GAP's .el/.wel); "
            + "undirected graphs list each edge once (GAP: -s).")
final class GraphExportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin GraphInput input = new GraphInput();

  @Option(names = "--out", required = true, description = "File to write.")
  Path out;

  @Override
  public Integer call() {
    EdgeList edges = input.load();
    try {
      GraphFiles.writeEdgeList(edges, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
    }
    spec.commandLine()
        .getOut()
        .printf(
            "wrote %s: %d vertices, %d edges, %s%s%n",
            out,
            edges.numVertices(),
            edges.numEdges(),
            edges.directed() ? "directed" : "undirected",
            edges.weighted() ? ", weighted" : "");
    return 0;
  }
}
