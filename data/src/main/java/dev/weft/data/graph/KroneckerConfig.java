package dev.weft.data.graph;

/**
 * A Kronecker (R-MAT) graph: 2^scale vertices, edgeFactor·2^scale edges, each edge placed by
 * descending scale levels of the adjacency matrix and picking a quadrant with probabilities (a, b,
 * c, 1−a−b−c). Graph500 (and the GAP suite's {@code -g}) use a=0.57, b=c=0.19, edgeFactor 16,
 * undirected, with vertex ids randomly permuted.
 */
public record KroneckerConfig(
    int scale, int edgeFactor, double a, double b, double c, boolean directed, long seed) {

  public KroneckerConfig {
    if (scale < 1 || scale > 30) {
      throw new IllegalArgumentException("scale must be in 1..30: " + scale);
    }
    if (edgeFactor < 1 || (long) edgeFactor << scale > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException("edgeFactor out of range for scale: " + edgeFactor);
    }
    if (!(a > 0 && b >= 0 && c >= 0 && a + b + c < 1)) {
      throw new IllegalArgumentException(
          "need a > 0, b, c >= 0 and a + b + c < 1: " + a + ", " + b + ", " + c);
    }
  }

  /** Graph500's parameters at the given scale, undirected, as the GAP suite generates. */
  public static KroneckerConfig graph500(int scale, long seed) {
    return new KroneckerConfig(scale, 16, 0.57, 0.19, 0.19, false, seed);
  }
}
