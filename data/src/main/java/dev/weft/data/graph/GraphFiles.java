package dev.weft.data.graph;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a graph file by its extension, and writes edge lists other tools (GAP, JGraphT) read. */
public final class GraphFiles {

  private GraphFiles() {}

  /**
   * Loads {@code .mtx} as Matrix Market (its header says directed/weighted); anything else as a
   * SNAP edge list with the given options. {@code .wel} implies weighted.
   */
  public static EdgeList load(Path file, LoadOptions options) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new GraphFormatException(file, 0, "no such file");
    }
    String name = file.getFileName().toString();
    if (name.endsWith(".mtx")) {
      return MatrixMarketReader.read(file);
    }
    if (name.endsWith(".wel")) {
      options = options.withWeighted(true);
    }
    return EdgeListReader.read(file, options);
  }

  /**
   * Writes 0-based "src dst [weight]" lines (GAP's .el/.wel format); undirected lists hold each
   * edge once, so readers must symmetrise (GAP: {@code -s}).
   */
  public static void writeEdgeList(EdgeList edges, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
      StringBuilder line = new StringBuilder(32);
      for (int e = 0; e < edges.numEdges(); e++) {
        line.setLength(0);
        line.append(edges.src()[e]).append(' ').append(edges.dst()[e]);
        if (edges.weighted()) {
          float w = edges.weights()[e];
          // Integer weights are written as integers: GAP's .wel reader expects ints.
          if (w == Math.rint(w)) {
            line.append(' ').append((long) w);
          } else {
            line.append(' ').append(w);
          }
        }
        line.append('\n');
        out.append(line);
      }
    }
  }
}
