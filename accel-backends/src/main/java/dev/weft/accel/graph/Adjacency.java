package dev.weft.accel.graph;

import dev.weft.data.graph.Graph;

/**
 * One direction of a graph's adjacency: for vertex v, neighbours nbr[off[v]..off[v+1]) with weights
 * w (null when unweighted) and canonical edge ids (null when the order is canonical).
 */
record Adjacency(int[] off, int[] nbr, float[] w, int[] edgeId) {

  static Adjacency out(Graph g) {
    return new Adjacency(g.outOffsets(), g.outTargets(), g.outWeights(), null);
  }

  /** In-edges (CSC), with weights copied into CSC order so the pull loop reads them in line. */
  static Adjacency in(Graph g) {
    float[] w = null;
    if (g.weighted()) {
      int[] ids = g.inEdgeIds();
      float[] ow = g.outWeights();
      w = new float[ids.length];
      for (int k = 0; k < ids.length; k++) {
        w[k] = ow[ids[k]];
      }
    }
    return new Adjacency(g.inOffsets(), g.inSources(), w, g.inEdgeIds());
  }

  float weight(int k) {
    return w == null ? 1f : w[k];
  }

  int edge(int k) {
    return edgeId == null ? k : edgeId[k];
  }

  int degree(int v) {
    return off[v + 1] - off[v];
  }
}
