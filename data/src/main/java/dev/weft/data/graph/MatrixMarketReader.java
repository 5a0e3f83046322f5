package dev.weft.data.graph;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads Matrix Market coordinate files as graphs: entry (i, j, v) is the edge i→j with weight v
 * (row = source, column = destination, GraphR's orientation). {@code symmetric} matrices become
 * undirected graphs; {@code pattern} matrices are unweighted. Ids are 1-based as the format says.
 */
public final class MatrixMarketReader {

  private MatrixMarketReader() {}

  public static EdgeList read(Path file) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(in, file.toString());
    }
  }

  public static EdgeList read(Reader reader, String name) throws IOException {
    BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
    String header = in.readLine();
    if (header == null) {
      throw new GraphFormatException(name, 1, "empty file: expected a %%MatrixMarket header");
    }
    String[] h = header.strip().toLowerCase(Locale.ROOT).split("\\s+");
    if (h.length != 5 || !h[0].equals("%%matrixmarket") || !h[1].equals("matrix")) {
      throw new GraphFormatException(
          name, 1, "expected '%%MatrixMarket matrix coordinate <field> <symmetry>'");
    }
    if (!h[2].equals("coordinate")) {
      throw new GraphFormatException(
          name, 1, "only 'coordinate' (sparse) matrices are graphs; found '" + h[2] + "'");
    }
    boolean weighted =
        switch (h[3]) {
          case "real", "integer", "double" -> true;
          case "pattern" -> false;
          default -> throw new GraphFormatException(name, 1, "unsupported field '" + h[3] + "'");
        };
    boolean directed =
        switch (h[4]) {
          case "general" -> true;
          case "symmetric" -> false;
          default -> throw new GraphFormatException(name, 1, "unsupported symmetry '" + h[4] + "'");
        };
    long lineNo = 1;
    String line;
    String[] tokens = new String[4];
    long rows = -1;
    long cols = -1;
    long nnz = -1;
    while ((line = in.readLine()) != null) {
      lineNo++;
      int count = EdgeListReader.split(line, tokens);
      if (count == 0 || tokens[0].startsWith("%")) {
        continue;
      }
      if (count != 3) {
        throw new GraphFormatException(name, lineNo, "expected the size line 'rows cols entries'");
      }
      try {
        rows = Long.parseLong(tokens[0]);
        cols = Long.parseLong(tokens[1]);
        nnz = Long.parseLong(tokens[2]);
      } catch (NumberFormatException e) {
        throw new GraphFormatException(name, lineNo, "size line has a non-integer field");
      }
      break;
    }
    if (nnz < 0) {
      throw new GraphFormatException(name, lineNo, "missing the size line 'rows cols entries'");
    }
    if (rows != cols) {
      throw new GraphFormatException(
          name, lineNo, "an adjacency matrix must be square; found " + rows + "x" + cols);
    }
    if (rows >= Integer.MAX_VALUE || nnz >= Integer.MAX_VALUE) {
      throw new GraphFormatException(name, lineNo, "matrix too large for 32-bit vertex ids");
    }
    int n = (int) rows;
    EdgeBuffer edges = new EdgeBuffer((int) nnz, weighted);
    int expected = weighted ? 3 : 2;
    while ((line = in.readLine()) != null) {
      lineNo++;
      int count = EdgeListReader.split(line, tokens);
      if (count == 0 || tokens[0].startsWith("%")) {
        continue;
      }
      if (count != expected) {
        throw new GraphFormatException(
            name, lineNo, "expected " + expected + " fields but found " + count);
      }
      if (edges.size() == nnz) {
        throw new GraphFormatException(
            name, lineNo, "more entries than the " + nnz + " the size line declares");
      }
      int s = EdgeListReader.parseId(tokens[0], 1, n, name, lineNo);
      int d = EdgeListReader.parseId(tokens[1], 1, n, name, lineNo);
      float w = weighted ? EdgeListReader.parseWeight(tokens[2], name, lineNo) : 1f;
      edges.add(s, d, w);
    }
    if (edges.size() != nnz) {
      throw new GraphFormatException(
          name, 0, "the size line declares " + nnz + " entries but the file has " + edges.size());
    }
    return edges.toEdgeList(n, directed);
  }
}
