package dev.weft.accel.graph;

import dev.weft.data.graph.Graph;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.PriorityQueue;

/** Sequential primitives over the canonical edge list, and textbook algorithm overrides. */
final class ReferenceKernel implements GraphKernel {

  private final Graph g;
  private final int[] src;

  ReferenceKernel(Graph g) {
    this.g = g;
    // Expand the CSR into a plain edge list (COO): the textbook representation.
    src = new int[g.numEdges()];
    for (int v = 0; v < g.numVertices(); v++) {
      for (int e = g.outOffsets()[v]; e < g.outOffsets()[v + 1]; e++) {
        src[e] = v;
      }
    }
  }

  @Override
  public Graph graph() {
    return g;
  }

  @Override
  public String backend() {
    return "reference";
  }

  @Override
  public void multiply(Semiring sr, Direction dir, double[] x, double[] y) {
    Arrays.fill(y, sr.identity());
    int[] dst = g.outTargets();
    for (int e = 0; e < src.length; e++) {
      int from = dir == Direction.FORWARD ? src[e] : dst[e];
      int to = dir == Direction.FORWARD ? dst[e] : src[e];
      y[to] = sr.add(y[to], sr.mul(x[from], g.weight(e)));
    }
  }

  @Override
  public int[] relax(Semiring sr, Direction dir, double[] values, int[] frontier) {
    boolean[] active = new boolean[g.numVertices()];
    for (int v : frontier) {
      active[v] = true;
    }
    boolean[] changed = new boolean[g.numVertices()];
    double[] old = values.clone();
    int[] dst = g.outTargets();
    int count = 0;
    for (int e = 0; e < src.length; e++) {
      int from = dir == Direction.FORWARD ? src[e] : dst[e];
      int to = dir == Direction.FORWARD ? dst[e] : src[e];
      if (!active[from]) {
        continue;
      }
      double cand = sr.mul(old[from], g.weight(e));
      if (cand < values[to]) {
        values[to] = cand;
        if (!changed[to]) {
          changed[to] = true;
          count++;
        }
      }
    }
    int[] out = new int[count];
    int i = 0;
    for (int v = 0; v < changed.length; v++) {
      if (changed[v]) {
        out[i++] = v;
      }
    }
    return out;
  }

  @Override
  public void spmm(Direction dir, double[] v, double[] x, int k, double[] y) {
    int[] dst = g.outTargets();
    for (int e = 0; e < src.length; e++) {
      int from = dir == Direction.FORWARD ? src[e] : dst[e];
      int to = dir == Direction.FORWARD ? dst[e] : src[e];
      for (int j = 0; j < k; j++) {
        y[to * k + j] += v[e] * x[from * k + j];
      }
    }
  }

  @Override
  public PageRankResult pageRank(PageRankConfig cfg) {
    int n = g.numVertices();
    double[] rank = new double[n];
    if (n == 0) {
      return new PageRankResult(rank, 0, 0);
    }
    Arrays.fill(rank, 1.0 / n);
    int[] dst = g.outTargets();
    int iter = 0;
    double change = Double.POSITIVE_INFINITY;
    while (iter < cfg.maxIterations()) {
      double[] next = new double[n];
      for (int e = 0; e < src.length; e++) {
        next[dst[e]] += rank[src[e]] / g.outDegree(src[e]);
      }
      change = 0;
      for (int v = 0; v < n; v++) {
        next[v] = (1 - cfg.damping()) / n + cfg.damping() * next[v];
        change += Math.abs(next[v] - rank[v]);
      }
      rank = next;
      iter++;
      if (change < cfg.tolerance()) {
        break;
      }
    }
    return new PageRankResult(rank, iter, change);
  }

  @Override
  public double[] spmv(double[] x) {
    SemiringPrograms.checkLength(g, x.length);
    double[] y = new double[g.numVertices()];
    int[] dst = g.outTargets();
    for (int e = 0; e < src.length; e++) {
      y[dst[e]] += x[src[e]] * g.weight(e);
    }
    return y;
  }

  @Override
  public int[] bfs(int source) {
    SemiringPrograms.checkSource(g, source);
    int[] depth = new int[g.numVertices()];
    Arrays.fill(depth, -1);
    depth[source] = 0;
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(source);
    while (!queue.isEmpty()) {
      int u = queue.poll();
      for (int e = g.outOffsets()[u]; e < g.outOffsets()[u + 1]; e++) {
        int v = g.outTargets()[e];
        if (depth[v] < 0) {
          depth[v] = depth[u] + 1;
          queue.add(v);
        }
      }
    }
    return depth;
  }

  @Override
  public double[] sssp(int source) {
    SemiringPrograms.checkSource(g, source);
    SemiringPrograms.requireNonNegativeWeights(g);
    double[] dist = new double[g.numVertices()];
    Arrays.fill(dist, Double.POSITIVE_INFINITY);
    dist[source] = 0;
    boolean[] done = new boolean[g.numVertices()];
    PriorityQueue<double[]> heap = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
    heap.add(new double[] {0, source});
    while (!heap.isEmpty()) {
      double[] top = heap.poll();
      int u = (int) top[1];
      if (done[u]) {
        continue;
      }
      done[u] = true;
      for (int e = g.outOffsets()[u]; e < g.outOffsets()[u + 1]; e++) {
        int v = g.outTargets()[e];
        double cand = dist[u] + g.weight(e);
        if (cand < dist[v]) {
          dist[v] = cand;
          heap.add(new double[] {cand, v});
        }
      }
    }
    return dist;
  }

  @Override
  public int[] components() {
    int n = g.numVertices();
    int[] parent = new int[n];
    for (int v = 0; v < n; v++) {
      parent[v] = v;
    }
    int[] dst = g.outTargets();
    for (int e = 0; e < src.length; e++) {
      int a = find(parent, src[e]);
      int b = find(parent, dst[e]);
      // Union by smaller id, so each root is its component's smallest vertex.
      if (a < b) {
        parent[b] = a;
      } else if (b < a) {
        parent[a] = b;
      }
    }
    int[] label = new int[n];
    for (int v = 0; v < n; v++) {
      label[v] = find(parent, v);
    }
    return label;
  }

  private static int find(int[] parent, int v) {
    while (parent[v] != v) {
      parent[v] = parent[parent[v]];
      v = parent[v];
    }
    return v;
  }

  @Override
  public CfResult collaborativeFiltering(int numUsers, CfConfig cfg) {
    SemiringPrograms.checkBipartite(g, numUsers);
    int n = g.numVertices();
    int r = cfg.rank();
    double[] f = SemiringPrograms.initialFactors(n, r, cfg.seed());
    double[] err = new double[g.numEdges()];
    double initial = SemiringPrograms.errors(g, f, r, err);
    double rmse = initial;
    int[] dst = g.outTargets();
    for (int it = 0; it < cfg.iterations(); it++) {
      double[] grad = new double[n * r];
      for (int e = 0; e < src.length; e++) {
        int u = src[e];
        int i = dst[e];
        for (int j = 0; j < r; j++) {
          grad[u * r + j] += err[e] * f[i * r + j];
          grad[i * r + j] += err[e] * f[u * r + j];
        }
      }
      SemiringPrograms.applyGradient(g, f, grad, r, cfg);
      rmse = SemiringPrograms.errors(g, f, r, err);
    }
    return new CfResult(f, r, initial, rmse);
  }
}
