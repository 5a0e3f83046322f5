package dev.weft.accel.graph;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.weft.data.graph.Graph;
import java.util.EnumMap;
import java.util.Map;

/**
 * PyTorch kernel. Values cross the JNI boundary once per primitive as float64 arrays, so results
 * use the same double arithmetic as the Java backends. Torch has no sparse (min, +) product, so
 * min-semiring steps gather source values per edge and take a segmented minimum over edges sorted
 * by target, computed with a log-step (Hillis–Steele) scan whose masks are precomputed.
 */
final class TorchKernel implements GraphKernel {

  private final Graph g;
  private final NDManager manager;
  private final long[][] fwdIndices;
  private final long[][] bwdIndices;
  private final Map<Direction, NDArray> weighted = new EnumMap<>(Direction.class);
  private final Map<Direction, NDArray> pattern = new EnumMap<>(Direction.class);
  private final Map<Direction, Segments> segments = new EnumMap<>(Direction.class);

  TorchKernel(Graph g) {
    this.g = g;
    this.manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    int m = g.numEdges();
    long[] src = new long[m];
    long[] dst = new long[m];
    for (int v = 0; v < g.numVertices(); v++) {
      for (int e = g.outOffsets()[v]; e < g.outOffsets()[v + 1]; e++) {
        src[e] = v;
        dst[e] = g.outTargets()[e];
      }
    }
    // Row index = the vertex written: FORWARD writes destinations (Aᵀ), BACKWARD sources (A).
    fwdIndices = new long[][] {dst, src};
    bwdIndices = new long[][] {src, dst};
  }

  @Override
  public Graph graph() {
    return g;
  }

  @Override
  public String backend() {
    return "pytorch";
  }

  private NDArray coo(Direction dir, double[] values) {
    int n = g.numVertices();
    // Not NDManager.createCoo: it builds the sparse tensor on tensors that borrow temporary direct
    // buffers and then closes them, so once the GC frees those buffers the sparse tensor reads
    // freed memory (CI saw "addmm: index out of row bound: 140664138552293"). Clones own their
    // storage, which the sparse tensor then shares by reference count.
    try (NDArray borrowedIndices =
            manager.create(dir == Direction.FORWARD ? fwdIndices : bwdIndices);
        NDArray borrowedValues = manager.create(values)) {
      PtNDArray indices = (PtNDArray) borrowedIndices.duplicate();
      PtNDArray owned = (PtNDArray) borrowedValues.duplicate();
      return JniUtils.createSparseCoo(indices, owned, new Shape(n, n));
    }
  }

  private NDArray matrix(Semiring sr, Direction dir) {
    Map<Direction, NDArray> cache = sr == Semiring.PLUS_TIMES ? weighted : pattern;
    return cache.computeIfAbsent(
        dir,
        d -> {
          double[] w = new double[g.numEdges()];
          for (int e = 0; e < w.length; e++) {
            w[e] = sr == Semiring.PLUS_TIMES ? g.weight(e) : 1.0;
          }
          return coo(d, w);
        });
  }

  @Override
  public void multiply(Semiring sr, Direction dir, double[] x, double[] y) {
    if (g.numEdges() == 0) {
      java.util.Arrays.fill(y, sr.identity());
      return;
    }
    // Cached tensors are built outside the scope, which closes everything created inside it.
    NDArray a = sr.isMin() ? null : matrix(sr, dir);
    if (sr.isMin()) {
      segments(dir);
    }
    try (NDScope scope = new NDScope()) {
      NDArray out;
      if (sr.isMin()) {
        NDArray xs = manager.create(x);
        out = segmentMin(sr, dir, xs);
      } else {
        NDArray xs = manager.create(x, new Shape(x.length, 1));
        out = a.matMul(xs);
      }
      double[] result = out.toDoubleArray();
      System.arraycopy(result, 0, y, 0, y.length);
    }
  }

  /** Per vertex, ⊕ over its incoming (in direction dir) edges of x[from] ⊗ w; identity if none. */
  private NDArray segmentMin(Semiring sr, Direction dir, NDArray x) {
    Segments s = segments(dir);
    NDArray cand = x.take(s.from());
    switch (sr) {
      case MIN_PLUS -> cand = cand.add(s.weight());
      case MIN_PLUS_ONE -> cand = cand.add(1.0);
      default -> {}
    }
    NDArray inf = manager.full(new Shape(1), Float.POSITIVE_INFINITY, DataType.FLOAT64);
    long m = cand.getShape().get(0);
    for (int i = 0; i < s.masks().length; i++) {
      long step = 1L << i;
      NDArray pad = manager.full(new Shape(step), Float.POSITIVE_INFINITY, DataType.FLOAT64);
      NDArray shifted = pad.concat(cand.get(new NDIndex("0:{}", m - step)));
      cand = NDArrays.where(s.masks()[i], cand.minimum(shifted), cand);
    }
    return cand.concat(inf).take(s.last());
  }

  private Segments segments(Direction dir) {
    return segments.computeIfAbsent(dir, d -> Segments.build(manager, g, d));
  }

  @Override
  public int[] relax(Semiring sr, Direction dir, double[] values, int[] frontier) {
    if (!sr.isMin()) {
      throw new IllegalArgumentException("relax needs a min semiring, not " + sr);
    }
    if (g.numEdges() == 0 || frontier.length == 0) {
      return new int[0];
    }
    double[] masked = new double[values.length];
    java.util.Arrays.fill(masked, Double.POSITIVE_INFINITY);
    for (int v : frontier) {
      masked[v] = values[v];
    }
    double[] best;
    segments(dir);
    try (NDScope scope = new NDScope()) {
      best = segmentMin(sr, dir, manager.create(masked)).toDoubleArray();
    }
    int count = 0;
    int[] changed = new int[values.length];
    for (int v = 0; v < values.length; v++) {
      if (best[v] < values[v]) {
        values[v] = best[v];
        changed[count++] = v;
      }
    }
    return java.util.Arrays.copyOf(changed, count);
  }

  @Override
  public void spmm(Direction dir, double[] v, double[] x, int k, double[] y) {
    if (g.numEdges() == 0) {
      return;
    }
    try (NDScope scope = new NDScope()) {
      NDArray a = coo(dir, v);
      NDArray out = a.matMul(manager.create(x, new Shape(g.numVertices(), k)));
      double[] r = out.toDoubleArray();
      for (int i = 0; i < y.length; i++) {
        y[i] += r[i];
      }
    }
  }

  @Override
  public void close() {
    manager.close();
  }

  /**
   * Edges sorted by the vertex they write (CSC for FORWARD, CSR for BACKWARD): the vertex each edge
   * reads, its weight, one mask per scan step saying "i − 2^step is in my segment", and per vertex
   * the index of its segment's last edge (or m, pointing at an appended identity).
   */
  private record Segments(NDArray from, NDArray weight, NDArray[] masks, NDArray last) {

    static Segments build(NDManager manager, Graph g, Direction dir) {
      int n = g.numVertices();
      int m = g.numEdges();
      int[] off = dir == Direction.FORWARD ? g.inOffsets() : g.outOffsets();
      int[] nbr = dir == Direction.FORWARD ? g.inSources() : g.outTargets();
      long[] from = new long[m];
      double[] w = new double[m];
      int[] seg = new int[m];
      long[] last = new long[n];
      int maxLen = 1;
      for (int v = 0; v < n; v++) {
        last[v] = off[v + 1] > off[v] ? off[v + 1] - 1 : m;
        maxLen = Math.max(maxLen, off[v + 1] - off[v]);
        for (int k = off[v]; k < off[v + 1]; k++) {
          from[k] = nbr[k];
          int e = dir == Direction.FORWARD ? g.inEdgeIds()[k] : k;
          w[k] = g.weight(e);
          seg[k] = v;
        }
      }
      int steps = 32 - Integer.numberOfLeadingZeros(maxLen - 1);
      NDArray[] masks = new NDArray[steps];
      for (int i = 0; i < steps; i++) {
        int step = 1 << i;
        boolean[] same = new boolean[m];
        for (int k = step; k < m; k++) {
          same[k] = seg[k] == seg[k - step];
        }
        masks[i] = manager.create(same);
      }
      return new Segments(manager.create(from), manager.create(w), masks, manager.create(last));
    }
  }
}
