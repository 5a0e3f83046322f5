package dev.weft.data.graph;

import java.util.Arrays;

/**
 * A graph in compressed form, both ways: CSR (out-edges by source) and CSC (in-edges by
 * destination). The CSR order is the canonical edge order: edge id e is position e in {@link
 * #outTargets()}, and the CSC keeps each entry's edge id so per-edge values line up.
 *
 * <p>Built from an {@link EdgeList}: undirected edges are stored in both directions, targets are
 * sorted within a row, and parallel edges are merged keeping the smallest weight (the one a
 * shortest path would use). Self-loops are kept: they are diagonal entries of the matrix.
 */
public final class Graph {

  private final int n;
  private final boolean directed;
  private final int[] outOffsets;
  private final int[] outTargets;
  private final float[] outWeights;
  private final int[] inOffsets;
  private final int[] inSources;
  private final int[] inEdgeIds;

  private Graph(
      int n,
      boolean directed,
      int[] outOffsets,
      int[] outTargets,
      float[] outWeights,
      int[] inOffsets,
      int[] inSources,
      int[] inEdgeIds) {
    this.n = n;
    this.directed = directed;
    this.outOffsets = outOffsets;
    this.outTargets = outTargets;
    this.outWeights = outWeights;
    this.inOffsets = inOffsets;
    this.inSources = inSources;
    this.inEdgeIds = inEdgeIds;
  }

  public static Graph from(EdgeList edges) {
    int n = edges.numVertices();
    boolean both = !edges.directed();
    int m0 = edges.numEdges();
    int[] src = edges.src();
    int[] dst = edges.dst();
    // Count out-degrees, both directions for undirected (a self-loop only once).
    int[] offsets = new int[n + 1];
    for (int e = 0; e < m0; e++) {
      offsets[src[e] + 1]++;
      if (both && src[e] != dst[e]) {
        offsets[dst[e] + 1]++;
      }
    }
    for (int v = 0; v < n; v++) {
      offsets[v + 1] += offsets[v];
    }
    long total = offsets[n];
    // Each slot packs (target << 32 | orderable weight bits) so one sort per row orders by
    // target and puts the smallest weight of a parallel group first.
    long[] slots = new long[(int) total];
    int[] fill = Arrays.copyOf(offsets, n);
    for (int e = 0; e < m0; e++) {
      long wbits = orderable(edges.weight(e));
      slots[fill[src[e]]++] = ((long) dst[e] << 32) | wbits;
      if (both && src[e] != dst[e]) {
        slots[fill[dst[e]]++] = ((long) src[e] << 32) | wbits;
      }
    }
    int[] outOffsets = new int[n + 1];
    int[] targets = new int[(int) total];
    float[] weights = edges.weighted() ? new float[(int) total] : null;
    int m = 0;
    for (int v = 0; v < n; v++) {
      Arrays.sort(slots, offsets[v], offsets[v + 1]);
      int last = -1;
      for (int i = offsets[v]; i < offsets[v + 1]; i++) {
        int t = (int) (slots[i] >>> 32);
        if (t == last) {
          continue;
        }
        last = t;
        targets[m] = t;
        if (weights != null) {
          weights[m] = fromOrderable((int) slots[i]);
        }
        m++;
      }
      outOffsets[v + 1] = m;
    }
    slots = null;
    int[] outTargets = Arrays.copyOf(targets, m);
    float[] outWeights = weights == null ? null : Arrays.copyOf(weights, m);
    // CSC by counting sort over the canonical order, so sources come out sorted per column.
    int[] inOffsets = new int[n + 1];
    for (int e = 0; e < m; e++) {
      inOffsets[outTargets[e] + 1]++;
    }
    for (int v = 0; v < n; v++) {
      inOffsets[v + 1] += inOffsets[v];
    }
    int[] inSources = new int[m];
    int[] inEdgeIds = new int[m];
    int[] cursor = Arrays.copyOf(inOffsets, n);
    for (int s = 0; s < n; s++) {
      for (int e = outOffsets[s]; e < outOffsets[s + 1]; e++) {
        int slot = cursor[outTargets[e]]++;
        inSources[slot] = s;
        inEdgeIds[slot] = e;
      }
    }
    return new Graph(
        n, edges.directed(), outOffsets, outTargets, outWeights, inOffsets, inSources, inEdgeIds);
  }

  /** Float bits mapped so that unsigned order of the low 32 bits equals numeric order. */
  private static long orderable(float w) {
    int bits = Float.floatToIntBits(w);
    bits ^= (bits >> 31) & 0x7fffffff;
    return (bits ^ 0x80000000) & 0xffffffffL;
  }

  private static float fromOrderable(int ordered) {
    int bits = ordered ^ 0x80000000;
    bits ^= (bits >> 31) & 0x7fffffff;
    return Float.intBitsToFloat(bits);
  }

  public int numVertices() {
    return n;
  }

  /** Stored (directed) edges: an undirected edge counts twice, a self-loop once. */
  public int numEdges() {
    return outTargets.length;
  }

  public boolean directed() {
    return directed;
  }

  public boolean weighted() {
    return outWeights != null;
  }

  public int outDegree(int v) {
    return outOffsets[v + 1] - outOffsets[v];
  }

  public int inDegree(int v) {
    return inOffsets[v + 1] - inOffsets[v];
  }

  /** Weight of canonical edge e (1 when unweighted). */
  public float weight(int e) {
    return outWeights == null ? 1f : outWeights[e];
  }

  /** Source of canonical edge e, found by binary search over the CSR offsets. */
  public int sourceOf(int e) {
    int i = Arrays.binarySearch(outOffsets, e);
    if (i >= 0) {
      // Skip empty rows that share this offset.
      while (i + 1 <= n && outOffsets[i + 1] == e) {
        i++;
      }
      return i;
    }
    return -i - 2;
  }

  /** The smallest edge weight, or +infinity when there are no edges. */
  public float minWeight() {
    float min = Float.POSITIVE_INFINITY;
    for (int e = 0; e < outTargets.length; e++) {
      min = Math.min(min, weight(e));
    }
    return min;
  }

  // The arrays are exposed without copying: kernels read them in tight loops. Callers must
  // not modify them.
  public int[] outOffsets() {
    return outOffsets;
  }

  public int[] outTargets() {
    return outTargets;
  }

  /** CSR weights in canonical order, or null when unweighted. */
  public float[] outWeights() {
    return outWeights;
  }

  public int[] inOffsets() {
    return inOffsets;
  }

  public int[] inSources() {
    return inSources;
  }

  /** For each CSC entry, the canonical id of its edge. */
  public int[] inEdgeIds() {
    return inEdgeIds;
  }

  @Override
  public String toString() {
    return "Graph[n="
        + n
        + ", m="
        + outTargets.length
        + (directed ? ", directed" : ", undirected")
        + (weighted() ? ", weighted]" : "]");
  }
}
