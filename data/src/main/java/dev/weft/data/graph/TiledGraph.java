package dev.weft.data.graph;

import java.util.Arrays;

/**
 * GraphR's tiled layout: the adjacency matrix (rows = sources, columns = destinations) cut into C×C
 * tiles, only non-empty tiles stored, in streaming order. The order is column-major over tiles: all
 * tiles of one destination stripe (C destination vertices) before the next, sources ascending
 * within a stripe. That is the order in which GraphR streams blocks through a graph engine while
 * the stripe's destination values stay in its output registers.
 *
 * <p>Tile t covers sources [rowBlock(t)·C, +C) and destinations [colBlock(t)·C, +C); its edges are
 * entries [tileStart(t), tileStart(t+1)) of the edge arrays, each with its canonical edge id.
 */
public final class TiledGraph {

  private final Graph graph;
  private final int tileSize;
  private final int[] tileRow;
  private final int[] tileCol;
  private final int[] tileStart;
  private final int[] edgeSrc;
  private final int[] edgeDst;
  private final int[] edgeId;
  private final int[] stripeStart;

  private TiledGraph(
      Graph graph,
      int tileSize,
      int[] tileRow,
      int[] tileCol,
      int[] tileStart,
      int[] edgeSrc,
      int[] edgeDst,
      int[] edgeId,
      int[] stripeStart) {
    this.graph = graph;
    this.tileSize = tileSize;
    this.tileRow = tileRow;
    this.tileCol = tileCol;
    this.tileStart = tileStart;
    this.edgeSrc = edgeSrc;
    this.edgeDst = edgeDst;
    this.edgeId = edgeId;
    this.stripeStart = stripeStart;
  }

  /** Cuts {@code graph} into {@code tileSize}×{@code tileSize} tiles (GraphR uses 8). */
  public static TiledGraph build(Graph graph, int tileSize) {
    return build(graph, tileSize, graph.inOffsets(), graph.inSources(), graph.inEdgeIds());
  }

  /**
   * Tiles of the transposed matrix Aᵀ: rows are destinations, columns sources, so streaming it
   * moves values against the edges (d into s). Here {@link #edgeSrc()} holds each edge's
   * destination (the vertex read) and {@link #edgeDst()} its source (the vertex written).
   */
  public static TiledGraph buildTransposed(Graph graph, int tileSize) {
    int[] ids = new int[graph.numEdges()];
    for (int e = 0; e < ids.length; e++) {
      ids[e] = e;
    }
    return build(graph, tileSize, graph.outOffsets(), graph.outTargets(), ids);
  }

  /**
   * Shared builder over a compressed adjacency whose rows are the written vertices (columns of the
   * tiled matrix) and whose entries are the read vertices (its rows).
   */
  private static TiledGraph build(
      Graph graph, int tileSize, int[] offsets, int[] readers, int[] ids) {
    if (tileSize < 1) {
      throw new IllegalArgumentException("tileSize must be >= 1: " + tileSize);
    }
    int n = graph.numVertices();
    int m = graph.numEdges();
    int stripes = (int) (((long) n + tileSize - 1) / tileSize);
    int[] edgeSrc = new int[m];
    int[] edgeDst = new int[m];
    int[] edgeId = new int[m];
    int[] stripeStart = new int[stripes + 1];
    IntList rows = new IntList();
    IntList cols = new IntList();
    IntList starts = new IntList();
    long[] keys = new long[0];
    int out = 0;
    for (int j = 0; j < stripes; j++) {
      stripeStart[j] = rows.size();
      int d0 = j * tileSize;
      int d1 = (int) Math.min(n, (long) d0 + tileSize);
      int lo = offsets[d0];
      int hi = offsets[d1];
      int count = hi - lo;
      if (keys.length < count) {
        keys = new long[Math.max(count, keys.length * 2)];
      }
      // Key: read-vertex block, then position in the slice, so the sort groups by tile and
      // keeps a stable order inside it.
      for (int k = lo; k < hi; k++) {
        keys[k - lo] = ((long) (readers[k] / tileSize) << 32) | (k - lo);
      }
      Arrays.sort(keys, 0, count);
      int lastBlock = -1;
      for (int i = 0; i < count; i++) {
        int block = (int) (keys[i] >>> 32);
        int k = lo + (int) keys[i];
        if (block != lastBlock) {
          rows.add(block);
          cols.add(j);
          starts.add(out);
          lastBlock = block;
        }
        edgeSrc[out] = readers[k];
        edgeDst[out] = rowOf(offsets, d0, d1, k);
        edgeId[out] = ids[k];
        out++;
      }
    }
    stripeStart[stripes] = rows.size();
    starts.add(out);
    return new TiledGraph(
        graph,
        tileSize,
        rows.toArray(),
        cols.toArray(),
        starts.toArray(),
        edgeSrc,
        edgeDst,
        edgeId,
        stripeStart);
  }

  private static int rowOf(int[] offsets, int d0, int d1, int k) {
    // The stripe holds at most tileSize destinations, so a linear scan is cheap.
    for (int d = d0; d < d1; d++) {
      if (k < offsets[d + 1]) {
        return d;
      }
    }
    throw new IllegalStateException("entry " + k + " outside stripe");
  }

  public Graph graph() {
    return graph;
  }

  public int tileSize() {
    return tileSize;
  }

  /** Non-empty tiles; empty ones are never stored or streamed. */
  public int numTiles() {
    return tileRow.length;
  }

  /** Destination stripes (= column blocks), including ones with no tiles. */
  public int numStripes() {
    return stripeStart.length - 1;
  }

  public int tileRow(int t) {
    return tileRow[t];
  }

  public int tileCol(int t) {
    return tileCol[t];
  }

  public int tileStart(int t) {
    return tileStart[t];
  }

  public int tileEnd(int t) {
    return tileStart[t + 1];
  }

  /**
   * First tile of destination stripe j; tiles of stripe j are [stripeStart(j), stripeStart(j+1)).
   */
  public int stripeStart(int j) {
    return stripeStart[j];
  }

  public int[] edgeSrc() {
    return edgeSrc;
  }

  public int[] edgeDst() {
    return edgeDst;
  }

  public int[] edgeId() {
    return edgeId;
  }

  /** Stored edges over the cells of all stored tiles: how full a loaded crossbar is. */
  public double tileDensity() {
    return numTiles() == 0 ? 0 : edgeSrc.length / ((double) numTiles() * tileSize * tileSize);
  }

  /** A minimal growable int array, to avoid boxing millions of tile ids. */
  private static final class IntList {
    private int[] data = new int[1024];
    private int size;

    void add(int v) {
      if (size == data.length) {
        data = Arrays.copyOf(data, size * 2);
      }
      data[size++] = v;
    }

    int size() {
      return size;
    }

    int[] toArray() {
      return Arrays.copyOf(data, size);
    }
  }
}
