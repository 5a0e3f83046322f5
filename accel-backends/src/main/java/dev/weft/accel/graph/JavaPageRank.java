package dev.weft.accel.graph;

import dev.weft.data.graph.Graph;

/**
 * {@link SemiringPrograms#pageRank} fused into one parallel pass per iteration: the (+, first) pull
 * product, GraphR's apply step and the L1 change run per vertex chunk, and the next iteration's
 * contributions are written as ranks are produced. Same arithmetic per vertex, so ranks match the
 * unfused program up to rounding: each in-edge sum runs four partial sums, and the change sum is
 * ordered by chunk.
 */
final class JavaPageRank {

  private JavaPageRank() {}

  static PageRankResult run(Graph g, Adjacency in, int[] bounds, Parallel par, PageRankConfig cfg) {
    int n = g.numVertices();
    double[] rank = new double[n];
    if (n == 0) {
      return new PageRankResult(rank, 0, 0);
    }
    double d = cfg.damping();
    double base = (1 - d) / n;
    double[] contrib = new double[n];
    double[] nextContrib = new double[n];
    int chunks = bounds.length - 1;
    double[] changes = new double[chunks];
    par.forEach(
        chunks,
        c -> {
          for (int v = bounds[c]; v < bounds[c + 1]; v++) {
            rank[v] = 1.0 / n;
            int deg = g.outDegree(v);
            contrib[v] = deg == 0 ? 0 : rank[v] / deg;
          }
        });
    int[] off = in.off();
    int[] nbr = in.nbr();
    int iter = 0;
    double change = Double.POSITIVE_INFINITY;
    double[] cur = contrib;
    double[] next = nextContrib;
    while (iter < cfg.maxIterations()) {
      double[] x = cur;
      double[] y = next;
      par.forEach(
          chunks,
          c -> {
            double local = 0;
            for (int v = bounds[c]; v < bounds[c + 1]; v++) {
              double r = base + d * gather(x, nbr, off[v], off[v + 1]);
              local += Math.abs(r - rank[v]);
              rank[v] = r;
              int deg = g.outDegree(v);
              y[v] = deg == 0 ? 0 : r / deg;
            }
            changes[c] = local;
          });
      change = 0;
      for (double c : changes) {
        change += c;
      }
      cur = y;
      next = x;
      iter++;
      if (change < cfg.tolerance()) {
        break;
      }
    }
    return new PageRankResult(rank, iter, change);
  }

  /**
   * Σ x[nbr[k]] over [lo, hi) with four independent partial sums, so the adds overlap instead of
   * waiting on one another (the order differs from a single running sum only in rounding, far below
   * the checksum's 9 decimals).
   */
  private static double gather(double[] x, int[] nbr, int lo, int hi) {
    double a0 = 0;
    double a1 = 0;
    double a2 = 0;
    double a3 = 0;
    int k = lo;
    for (; k + 3 < hi; k += 4) {
      a0 += x[nbr[k]];
      a1 += x[nbr[k + 1]];
      a2 += x[nbr[k + 2]];
      a3 += x[nbr[k + 3]];
    }
    for (; k < hi; k++) {
      a0 += x[nbr[k]];
    }
    return (a0 + a1) + (a2 + a3);
  }
}
