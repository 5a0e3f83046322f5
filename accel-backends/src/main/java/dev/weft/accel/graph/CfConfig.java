package dev.weft.accel.graph;

/**
 * Collaborative filtering by matrix factorisation with full-batch gradient descent: every iteration
 * computes all rating errors e = r − p·q, then moves each factor row along its degree-averaged
 * gradient, F[v] += rate·(Σ e·F[other]/deg(v) − λ·F[v]). Full-batch (not SGD) so the result does
 * not depend on edge order, and two SpMMs per iteration carry the work.
 */
public record CfConfig(
    int rank, int iterations, double learningRate, double regularization, long seed) {

  public CfConfig {
    if (rank < 1 || rank > 1024) {
      throw new IllegalArgumentException("rank must be in 1..1024: " + rank);
    }
    if (iterations < 0) {
      throw new IllegalArgumentException("iterations must be >= 0: " + iterations);
    }
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be > 0: " + learningRate);
    }
    if (!(regularization >= 0) || !Double.isFinite(regularization)) {
      throw new IllegalArgumentException("regularization must be >= 0: " + regularization);
    }
  }

  public static CfConfig defaults(long seed) {
    return new CfConfig(8, 50, 0.5, 0.01, seed);
  }
}
