package dev.weft.data.graph;

import java.util.Arrays;

/**
 * A graph as it comes out of a file or a generator: parallel arrays of 0-based endpoints, with
 * optional weights. Undirected lists hold each edge once; {@link Graph} stores both directions.
 *
 * @param numVertices vertex ids are in [0, numVertices)
 * @param directed whether (s, d) means only s→d
 * @param src edge sources
 * @param dst edge destinations, same length as src
 * @param weights edge weights, same length as src, or null for an unweighted graph (weight 1)
 */
public record EdgeList(int numVertices, boolean directed, int[] src, int[] dst, float[] weights) {

  public EdgeList {
    if (numVertices < 0) {
      throw new IllegalArgumentException("numVertices must be >= 0: " + numVertices);
    }
    if (src == null || dst == null || src.length != dst.length) {
      throw new IllegalArgumentException("src and dst must be non-null and of equal length");
    }
    if (weights != null && weights.length != src.length) {
      throw new IllegalArgumentException(
          "weights has " + weights.length + " entries for " + src.length + " edges");
    }
    for (int e = 0; e < src.length; e++) {
      if (src[e] < 0 || src[e] >= numVertices || dst[e] < 0 || dst[e] >= numVertices) {
        throw new IllegalArgumentException(
            "edge "
                + e
                + " ("
                + src[e]
                + ", "
                + dst[e]
                + ") has an id outside [0, "
                + numVertices
                + ")");
      }
      if (weights != null && !Float.isFinite(weights[e])) {
        throw new IllegalArgumentException("edge " + e + " has a non-finite weight " + weights[e]);
      }
    }
  }

  public int numEdges() {
    return src.length;
  }

  public boolean weighted() {
    return weights != null;
  }

  /** The weight of edge e: its stored weight, or 1 for an unweighted list. */
  public float weight(int e) {
    return weights == null ? 1f : weights[e];
  }

  /** The same edges with every weight set (used to add SSSP weights to a generated graph). */
  public EdgeList withWeights(float[] newWeights) {
    return new EdgeList(numVertices, directed, src, dst, newWeights);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EdgeList other
        && numVertices == other.numVertices
        && directed == other.directed
        && Arrays.equals(src, other.src)
        && Arrays.equals(dst, other.dst)
        && Arrays.equals(weights, other.weights);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(src) + Arrays.hashCode(dst);
  }

  @Override
  public String toString() {
    return "EdgeList[n="
        + numVertices
        + ", m="
        + src.length
        + ", directed="
        + directed
        + ", weighted="
        + weighted()
        + "]";
  }
}
