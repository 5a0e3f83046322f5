package dev.weft.data.graph;

/**
 * A uniform random (Erdős–Rényi-like) graph: 2^scale vertices and edgeFactor·2^scale edges with
 * both endpoints uniform, as the GAP suite's {@code -u} generates (undirected, factor 16).
 */
public record UniformConfig(int scale, int edgeFactor, boolean directed, long seed) {

  public UniformConfig {
    if (scale < 1 || scale > 30) {
      throw new IllegalArgumentException("scale must be in 1..30: " + scale);
    }
    if (edgeFactor < 1 || (long) edgeFactor << scale > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException("edgeFactor out of range for scale: " + edgeFactor);
    }
  }

  public static UniformConfig gap(int scale, long seed) {
    return new UniformConfig(scale, 16, false, seed);
  }
}
