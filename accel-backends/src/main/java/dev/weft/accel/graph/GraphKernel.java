package dev.weft.accel.graph;

import dev.weft.data.graph.Graph;

/**
 * One backend's prepared layout of one graph, and the semiring primitives the graph programs are
 * written in. The algorithm methods default to {@link SemiringPrograms}; the reference backend
 * overrides them with textbook algorithms so it can be the oracle for the rest.
 */
public interface GraphKernel extends AutoCloseable {

  Graph graph();

  /** The backend's name, for reports. */
  String backend();

  /**
   * Dense semiring product: FORWARD y[d] = ⊕_{s→d} x[s] ⊗ w(s,d), BACKWARD y[s] = ⊕_{s→d} x[d] ⊗
   * w(s,d). Every entry of y is written; vertices with no edges get the ⊕ identity.
   */
  void multiply(Semiring semiring, Direction direction, double[] x, double[] y);

  /**
   * Frontier relaxation for a min semiring: along every edge leaving an active vertex (in the given
   * direction), values[t] = min(values[t], values[a] ⊗ w). Updates values in place and returns each
   * vertex whose value dropped exactly once, in any order.
   */
  int[] relax(Semiring semiring, Direction direction, double[] values, int[] frontier);

  /**
   * Sparse × dense with per-edge values: FORWARD y[d,:] += Σ_{e=s→d} v[e]·x[s,:], BACKWARD y[s,:]
   * += Σ_{e=s→d} v[e]·x[d,:]. Matrices are row-major n×k; v is in canonical edge order.
   */
  void spmm(Direction direction, double[] edgeValues, double[] x, int k, double[] y);

  /** Tile operations counted so far, for backends that stream tiles; otherwise null. */
  default TileCounters tileCounters() {
    return null;
  }

  default PageRankResult pageRank(PageRankConfig config) {
    return SemiringPrograms.pageRank(this, config);
  }

  /** y = Aᵀx over the weighted adjacency matrix (weight 1 when unweighted). */
  default double[] spmv(double[] x) {
    return SemiringPrograms.spmv(this, x);
  }

  /** Hop depth from source, −1 where unreachable. */
  default int[] bfs(int source) {
    return SemiringPrograms.bfs(this, source);
  }

  /** Shortest-path distance from source, +∞ where unreachable; weights must be ≥ 0. */
  default double[] sssp(int source) {
    return SemiringPrograms.sssp(this, source);
  }

  /** Per vertex, the smallest vertex id in its (weakly) connected component. */
  default int[] components() {
    return SemiringPrograms.components(this);
  }

  /** Matrix factorisation of the user→item ratings graph whose first numUsers are users. */
  default CfResult collaborativeFiltering(int numUsers, CfConfig config) {
    return SemiringPrograms.collaborativeFiltering(this, numUsers, config);
  }

  @Override
  default void close() {}
}
