package dev.weft.data.graph;

import java.util.Arrays;

/** A growable pair of int arrays (plus optional weights) that loaders and generators fill. */
final class EdgeBuffer {

  private int[] src;
  private int[] dst;
  private float[] weights;
  private int size;

  EdgeBuffer(int capacity, boolean weighted) {
    int cap = Math.max(16, capacity);
    src = new int[cap];
    dst = new int[cap];
    weights = weighted ? new float[cap] : null;
  }

  void add(int s, int d, float w) {
    if (size == src.length) {
      int cap = size + (size >> 1) + 16;
      src = Arrays.copyOf(src, cap);
      dst = Arrays.copyOf(dst, cap);
      if (weights != null) {
        weights = Arrays.copyOf(weights, cap);
      }
    }
    src[size] = s;
    dst[size] = d;
    if (weights != null) {
      weights[size] = w;
    }
    size++;
  }

  int size() {
    return size;
  }

  EdgeList toEdgeList(int numVertices, boolean directed) {
    return new EdgeList(
        numVertices,
        directed,
        Arrays.copyOf(src, size),
        Arrays.copyOf(dst, size),
        weights == null ? null : Arrays.copyOf(weights, size));
  }
}
