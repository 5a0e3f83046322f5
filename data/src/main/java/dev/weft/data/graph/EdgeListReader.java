package dev.weft.data.graph;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads SNAP-style edge lists (also GAP's {@code .el}/{@code .wel}): one edge per line, "src dst"
 * or "src dst weight" separated by spaces or tabs; lines starting with '#' or '%' and blank lines
 * are comments. Anything else on a line is an error that names the file and the line.
 */
public final class EdgeListReader {

  private EdgeListReader() {}

  public static EdgeList read(Path file, LoadOptions options) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(in, file.toString(), options);
    }
  }

  /** Reads from any reader; {@code name} is used in error messages in place of a file name. */
  public static EdgeList read(Reader reader, String name, LoadOptions options) throws IOException {
    BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
    EdgeBuffer edges = new EdgeBuffer(1 << 12, options.weighted());
    int base = options.idBase().offset();
    int limit = options.numVertices();
    int maxId = -1;
    long lineNo = 0;
    String line;
    String[] tokens = new String[4];
    while ((line = in.readLine()) != null) {
      lineNo++;
      int count = split(line, tokens);
      if (count == 0 || tokens[0].charAt(0) == '#' || tokens[0].charAt(0) == '%') {
        continue;
      }
      int expected = options.weighted() ? 3 : 2;
      if (count != expected) {
        throw new GraphFormatException(
            name,
            lineNo,
            "expected "
                + (options.weighted() ? "'src dst weight'" : "'src dst'")
                + " but found "
                + (count > 3 ? "more than 3" : count)
                + " field(s): '"
                + line.strip()
                + "'");
      }
      int s = parseId(tokens[0], base, limit, name, lineNo);
      int d = parseId(tokens[1], base, limit, name, lineNo);
      float w = 1f;
      if (options.weighted()) {
        w = parseWeight(tokens[2], name, lineNo);
      }
      maxId = Math.max(maxId, Math.max(s, d));
      edges.add(s, d, w);
    }
    int n = limit >= 0 ? limit : maxId + 1;
    return edges.toEdgeList(n, options.directed());
  }

  /** Splits on spaces and tabs into at most tokens.length entries; returns how many were seen. */
  static int split(String line, String[] tokens) {
    int count = 0;
    int i = 0;
    int len = line.length();
    while (i < len) {
      while (i < len && isBlank(line.charAt(i))) {
        i++;
      }
      if (i >= len) {
        break;
      }
      int start = i;
      while (i < len && !isBlank(line.charAt(i))) {
        i++;
      }
      if (count < tokens.length) {
        tokens[count] = line.substring(start, i);
      }
      count++;
    }
    return count;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == ',';
  }

  static int parseId(String token, int base, int limit, String name, long lineNo) {
    long v;
    try {
      v = Long.parseLong(token);
    } catch (NumberFormatException e) {
      throw new GraphFormatException(name, lineNo, "vertex id '" + token + "' is not an integer");
    }
    long id = v - base;
    if (id < 0) {
      throw new GraphFormatException(
          name, lineNo, "vertex id " + v + " is below the first id " + base + " of this file");
    }
    if (limit >= 0 ? id >= limit : id >= Integer.MAX_VALUE) {
      throw new GraphFormatException(
          name,
          lineNo,
          "vertex id "
              + v
              + " is out of range: the graph has "
              + (limit >= 0 ? limit : Integer.MAX_VALUE)
              + " vertices (ids "
              + base
              + ".."
              + ((limit >= 0 ? limit : Integer.MAX_VALUE) - 1 + base)
              + ")");
    }
    return (int) id;
  }

  static float parseWeight(String token, String name, long lineNo) {
    float w;
    try {
      w = Float.parseFloat(token);
    } catch (NumberFormatException e) {
      throw new GraphFormatException(name, lineNo, "edge weight '" + token + "' is not a number");
    }
    if (!Float.isFinite(w)) {
      throw new GraphFormatException(name, lineNo, "edge weight '" + token + "' is not finite");
    }
    return w;
  }
}
