package dev.weft.accel.graph;

import dev.weft.data.graph.Graph;

/**
 * {@link SemiringPrograms#pageRank} fused into one parallel pass per iteration: the (+, first) pull
 * product, GraphR's apply step and the L1 change run per vertex chunk, and the next iteration's
 * contributions are written as ranks are produced. Same arithmetic per vertex, so ranks match the
 * unfused program bit for bit; only the order of the change sum differs.
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
              double acc = 0;
              for (int k = off[v]; k < off[v + 1]; k++) {
                acc += x[nbr[k]];
              }
              double r = base + d * acc;
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
}
