package dev.weft.accel.graph;

import dev.weft.data.graph.Graph;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The graph algorithms written once, as semiring SpMV programs over a {@link GraphKernel}. Each
 * backend only supplies the primitives; the iteration, convergence and apply steps live here.
 */
public final class SemiringPrograms {

  private SemiringPrograms() {}

  /** PageRank: (+, first) products of rank/outdegree, then GraphR's apply x′ = (1−d)/N + d·acc. */
  public static PageRankResult pageRank(GraphKernel k, PageRankConfig cfg) {
    Graph g = k.graph();
    int n = g.numVertices();
    double[] rank = new double[n];
    if (n == 0) {
      return new PageRankResult(rank, 0, 0);
    }
    Arrays.fill(rank, 1.0 / n);
    double[] contrib = new double[n];
    double[] acc = new double[n];
    double base = (1 - cfg.damping()) / n;
    int iter = 0;
    double change = Double.POSITIVE_INFINITY;
    while (iter < cfg.maxIterations()) {
      for (int v = 0; v < n; v++) {
        int deg = g.outDegree(v);
        contrib[v] = deg == 0 ? 0 : rank[v] / deg;
      }
      k.multiply(Semiring.PLUS_FIRST, Direction.FORWARD, contrib, acc);
      change = 0;
      for (int v = 0; v < n; v++) {
        double next = base + cfg.damping() * acc[v];
        change += Math.abs(next - rank[v]);
        rank[v] = next;
      }
      iter++;
      if (change < cfg.tolerance()) {
        break;
      }
    }
    return new PageRankResult(rank, iter, change);
  }

  public static double[] spmv(GraphKernel k, double[] x) {
    checkLength(k.graph(), x.length);
    double[] y = new double[k.graph().numVertices()];
    k.multiply(Semiring.PLUS_TIMES, Direction.FORWARD, x, y);
    return y;
  }

  /** BFS: (min, +1) relaxation from the source, one level per round. */
  public static int[] bfs(GraphKernel k, int source) {
    Graph g = k.graph();
    checkSource(g, source);
    double[] depth = new double[g.numVertices()];
    Arrays.fill(depth, Double.POSITIVE_INFINITY);
    depth[source] = 0;
    int[] frontier = {source};
    while (frontier.length > 0) {
      frontier = k.relax(Semiring.MIN_PLUS_ONE, Direction.FORWARD, depth, frontier);
    }
    int[] out = new int[depth.length];
    for (int v = 0; v < out.length; v++) {
      out[v] = Double.isInfinite(depth[v]) ? -1 : (int) depth[v];
    }
    return out;
  }

  /** SSSP: (min, +) relaxation of the changed vertices to a fixpoint (Bellman–Ford). */
  public static double[] sssp(GraphKernel k, int source) {
    Graph g = k.graph();
    checkSource(g, source);
    requireNonNegativeWeights(g);
    double[] dist = new double[g.numVertices()];
    Arrays.fill(dist, Double.POSITIVE_INFINITY);
    dist[source] = 0;
    int[] frontier = {source};
    while (frontier.length > 0) {
      frontier = k.relax(Semiring.MIN_PLUS, Direction.FORWARD, dist, frontier);
    }
    return dist;
  }

  /** Label propagation in (min, first), along and (for directed graphs) against edges. */
  public static int[] components(GraphKernel k) {
    Graph g = k.graph();
    int n = g.numVertices();
    double[] label = new double[n];
    int[] frontier = new int[n];
    for (int v = 0; v < n; v++) {
      label[v] = v;
      frontier[v] = v;
    }
    boolean[] mark = new boolean[n];
    while (frontier.length > 0) {
      int[] forward = k.relax(Semiring.MIN_FIRST, Direction.FORWARD, label, frontier);
      if (!g.directed()) {
        frontier = forward;
        continue;
      }
      int[] backward = k.relax(Semiring.MIN_FIRST, Direction.BACKWARD, label, frontier);
      frontier = union(forward, backward, mark);
    }
    int[] out = new int[n];
    for (int v = 0; v < n; v++) {
      out[v] = (int) label[v];
    }
    return out;
  }

  /** Full-batch gradient descent; each iteration is one SDDMM (errors) and two SpMMs. */
  public static CfResult collaborativeFiltering(GraphKernel k, int numUsers, CfConfig cfg) {
    Graph g = k.graph();
    int n = g.numVertices();
    int r = cfg.rank();
    checkBipartite(g, numUsers);
    double[] f = initialFactors(n, r, cfg.seed());
    double[] err = new double[g.numEdges()];
    double[] grad = new double[n * r];
    double initial = errors(g, f, r, err);
    double rmse = initial;
    for (int it = 0; it < cfg.iterations(); it++) {
      Arrays.fill(grad, 0);
      k.spmm(Direction.FORWARD, err, f, r, grad);
      k.spmm(Direction.BACKWARD, err, f, r, grad);
      applyGradient(g, f, grad, r, cfg);
      rmse = errors(g, f, r, err);
    }
    return new CfResult(f, r, initial, rmse);
  }

  /** Seeded initial factors in [0, 1)/√rank, the same for every backend. */
  static double[] initialFactors(int n, int rank, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] f = new double[n * rank];
    double scale = 1.0 / Math.sqrt(rank);
    for (int i = 0; i < f.length; i++) {
      f[i] = rng.nextDouble() * scale * 2;
    }
    return f;
  }

  /** e = r − p·q per canonical edge; returns the RMSE. */
  static double errors(Graph g, double[] f, int rank, double[] err) {
    int[] off = g.outOffsets();
    int[] tgt = g.outTargets();
    double sq = 0;
    for (int u = 0; u < g.numVertices(); u++) {
      for (int e = off[u]; e < off[u + 1]; e++) {
        int i = tgt[e];
        double dot = 0;
        for (int j = 0; j < rank; j++) {
          dot += f[u * rank + j] * f[i * rank + j];
        }
        err[e] = g.weight(e) - dot;
        sq += err[e] * err[e];
      }
    }
    return g.numEdges() == 0 ? 0 : Math.sqrt(sq / g.numEdges());
  }

  static void applyGradient(Graph g, double[] f, double[] grad, int rank, CfConfig cfg) {
    for (int v = 0; v < g.numVertices(); v++) {
      int deg = g.outDegree(v) + g.inDegree(v);
      double inv = 1.0 / Math.max(1, deg);
      for (int j = 0; j < rank; j++) {
        int i = v * rank + j;
        f[i] += cfg.learningRate() * (grad[i] * inv - cfg.regularization() * f[i]);
      }
    }
  }

  static void checkBipartite(Graph g, int numUsers) {
    if (numUsers < 0 || numUsers > g.numVertices()) {
      throw new IllegalArgumentException(
          "numUsers " + numUsers + " outside [0, " + g.numVertices() + "]");
    }
    int[] off = g.outOffsets();
    int[] tgt = g.outTargets();
    for (int u = 0; u < g.numVertices(); u++) {
      for (int e = off[u]; e < off[u + 1]; e++) {
        if (u >= numUsers || tgt[e] < numUsers) {
          throw new IllegalArgumentException(
              "CF needs a user→item graph: edge "
                  + u
                  + "→"
                  + tgt[e]
                  + " with "
                  + numUsers
                  + " users");
        }
      }
    }
  }

  /** SSSP's (min, +) fixpoint is only the shortest distance when no weight is negative. */
  public static void requireNonNegativeWeights(Graph g) {
    if (!g.weighted()) {
      return;
    }
    float[] w = g.outWeights();
    for (int e = 0; e < w.length; e++) {
      if (w[e] < 0) {
        throw new IllegalArgumentException(
            "SSSP needs non-negative edge weights, but edge "
                + g.sourceOf(e)
                + "→"
                + g.outTargets()[e]
                + " has weight "
                + w[e]);
      }
    }
  }

  static void checkSource(Graph g, int source) {
    if (source < 0 || source >= g.numVertices()) {
      throw new IllegalArgumentException(
          "source vertex " + source + " is outside [0, " + g.numVertices() + ")");
    }
  }

  static void checkLength(Graph g, int length) {
    if (length != g.numVertices()) {
      throw new IllegalArgumentException(
          "vector has " + length + " entries for " + g.numVertices() + " vertices");
    }
  }

  private static int[] union(int[] a, int[] b, boolean[] mark) {
    int[] out = new int[a.length + b.length];
    int size = 0;
    for (int[] part : new int[][] {a, b}) {
      for (int v : part) {
        if (!mark[v]) {
          mark[v] = true;
          out[size++] = v;
        }
      }
    }
    for (int i = 0; i < size; i++) {
      mark[out[i]] = false;
    }
    return Arrays.copyOf(out, size);
  }
}
