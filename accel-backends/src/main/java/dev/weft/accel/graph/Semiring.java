package dev.weft.accel.graph;

/**
 * The semirings the graph programs run in, GraphBLAS-style: ⊕ combines the contributions that reach
 * a destination, ⊗ combines a source value with the edge weight. GraphR executes the (+, ×) family
 * as parallel MAC on a crossbar and the (min, ·) family as parallel add-op.
 */
public enum Semiring {
  /** (+, ×) with edge weights: SpMV, CF. */
  PLUS_TIMES(false),
  /** (+, first): the pattern matrix, weights ignored: PageRank. */
  PLUS_FIRST(false),
  /** (min, +) with edge weights: SSSP. */
  MIN_PLUS(true),
  /** (min, +1): hop counts, weights ignored: BFS. */
  MIN_PLUS_ONE(true),
  /** (min, first): smallest label reaching a vertex: connected components. */
  MIN_FIRST(true);

  private final boolean min;

  Semiring(boolean min) {
    this.min = min;
  }

  /** True for the (min, ·) semirings, which relax to a fixpoint (GraphR's add-op pattern). */
  public boolean isMin() {
    return min;
  }

  /** The ⊕ identity: what a vertex with no contributions gets. */
  public double identity() {
    return min ? Double.POSITIVE_INFINITY : 0.0;
  }

  public double add(double a, double b) {
    return min ? Math.min(a, b) : a + b;
  }

  /** x ⊗ w. Every backend must compute exactly this, so min-semiring results match bitwise. */
  public double mul(double x, double w) {
    return switch (this) {
      case PLUS_TIMES -> x * w;
      case PLUS_FIRST, MIN_FIRST -> x;
      case MIN_PLUS -> x + w;
      case MIN_PLUS_ONE -> x + 1.0;
    };
  }
}
