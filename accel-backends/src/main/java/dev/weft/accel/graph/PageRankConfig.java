package dev.weft.accel.graph;

/**
 * PageRank as GraphR and the GAP suite define it: x′ = (1−d)/N + d·Σ_{s→v} x[s]/outdeg(s), until
 * the L1 change of an iteration is below {@code tolerance} or {@code maxIterations} ran. Rank on
 * dangling vertices is not redistributed (as in GAP), so ranks need not sum to 1.
 */
public record PageRankConfig(double damping, double tolerance, int maxIterations) {

  public PageRankConfig {
    if (!(damping > 0 && damping < 1)) {
      throw new IllegalArgumentException("damping must be in (0, 1): " + damping);
    }
    if (!(tolerance >= 0) || !Double.isFinite(tolerance)) {
      throw new IllegalArgumentException("tolerance must be finite and >= 0: " + tolerance);
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException("maxIterations must be >= 1: " + maxIterations);
    }
  }

  /** GAP's defaults: d = 0.85, tolerance 1e-4, at most 20 iterations. */
  public static PageRankConfig gap() {
    return new PageRankConfig(0.85, 1e-4, 20);
  }
}
