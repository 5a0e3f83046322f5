package dev.weft.accel.graph;

import dev.weft.data.graph.Graph;
import dev.weft.data.graph.TiledGraph;
import java.util.Arrays;

/**
 * Executes GraphR's streaming-apply model sequentially, as one graph engine would: tiles stream in
 * column-major order; a destination stripe's C values live in registers while its tiles pass. In
 * (+, ·) mode each tile is one parallel MAC (all rows drive the crossbar at once); in (min, ·) mode
 * a tile is loaded only if one of its source rows is active, and each active row is one add-op
 * step. Every step is counted in {@link TileCounters} for the crossbar model.
 */
final class TilesKernel implements GraphKernel {

  private final Graph g;
  private final int c;
  private final TiledGraph forward;
  private TiledGraph backward;
  private final TileCounters counters = new TileCounters();

  TilesKernel(Graph g, int tileSize) {
    this.g = g;
    this.c = tileSize;
    this.forward = TiledGraph.build(g, tileSize);
  }

  @Override
  public Graph graph() {
    return g;
  }

  @Override
  public String backend() {
    return "tiles";
  }

  @Override
  public TileCounters tileCounters() {
    return counters;
  }

  /** The tile stream for a direction; the transposed one is built on first use. */
  TiledGraph tiles(Direction dir) {
    if (dir == Direction.FORWARD) {
      return forward;
    }
    if (backward == null) {
      backward = TiledGraph.buildTransposed(g, c);
    }
    return backward;
  }

  @Override
  public void multiply(Semiring sr, Direction dir, double[] x, double[] y) {
    TiledGraph t = tiles(dir);
    int[] src = t.edgeSrc();
    int[] dst = t.edgeDst();
    int[] id = t.edgeId();
    double[] regs = new double[c];
    counters.pass();
    for (int j = 0; j < t.numStripes(); j++) {
      int d0 = j * c;
      Arrays.fill(regs, sr.identity());
      int first = t.stripeStart(j);
      int last = t.stripeStart(j + 1);
      for (int tile = first; tile < last; tile++) {
        for (int e = t.tileStart(tile); e < t.tileEnd(tile); e++) {
          int r = dst[e] - d0;
          regs[r] = sr.add(regs[r], sr.mul(x[src[e]], g.weight(id[e])));
        }
      }
      counters.mac(last - first, t.tileStart(last) - t.tileStart(first));
      int d1 = Math.min(g.numVertices(), d0 + c);
      System.arraycopy(regs, 0, y, d0, d1 - d0);
    }
  }

  @Override
  public int[] relax(Semiring sr, Direction dir, double[] values, int[] frontier) {
    if (!sr.isMin()) {
      throw new IllegalArgumentException("relax needs a min semiring, not " + sr);
    }
    TiledGraph t = tiles(dir);
    int n = g.numVertices();
    boolean[] active = new boolean[n];
    int[] activeInBlock = new int[t.numStripes()];
    for (int v : frontier) {
      if (!active[v]) {
        active[v] = true;
        activeInBlock[v / c]++;
      }
    }
    int[] src = t.edgeSrc();
    int[] dst = t.edgeDst();
    int[] id = t.edgeId();
    boolean[] changed = new boolean[n];
    // Sources drive the crossbar rows with the values they had when the pass began.
    double[] old = values.clone();
    int[] out = new int[16];
    int size = 0;
    boolean[] rowSeen = new boolean[c];
    int[] seenList = new int[c];
    counters.pass();
    for (int tile = 0; tile < t.numTiles(); tile++) {
      if (activeInBlock[t.tileRow(tile)] == 0) {
        continue; // No active source row: GraphR never loads this tile.
      }
      int rows = 0;
      long edges = 0;
      int r0 = t.tileRow(tile) * c;
      for (int e = t.tileStart(tile); e < t.tileEnd(tile); e++) {
        int s = src[e];
        if (!active[s]) {
          continue;
        }
        edges++;
        if (!rowSeen[s - r0]) {
          rowSeen[s - r0] = true;
          seenList[rows++] = s - r0;
        }
        int d = dst[e];
        double cand = sr.mul(old[s], g.weight(id[e]));
        if (cand < values[d]) {
          values[d] = cand;
          if (!changed[d]) {
            changed[d] = true;
            if (size == out.length) {
              out = Arrays.copyOf(out, size * 2);
            }
            out[size++] = d;
          }
        }
      }
      for (int i = 0; i < rows; i++) {
        rowSeen[seenList[i]] = false;
      }
      if (rows > 0) {
        counters.addOp(1, rows, edges);
      }
    }
    return Arrays.copyOf(out, size);
  }

  @Override
  public void spmm(Direction dir, double[] v, double[] x, int k, double[] y) {
    TiledGraph t = tiles(dir);
    int[] src = t.edgeSrc();
    int[] dst = t.edgeDst();
    int[] id = t.edgeId();
    counters.pass();
    for (int tile = 0; tile < t.numTiles(); tile++) {
      for (int e = t.tileStart(tile); e < t.tileEnd(tile); e++) {
        double val = v[id[e]];
        int s = src[e];
        int d = dst[e];
        for (int j = 0; j < k; j++) {
          y[d * k + j] += val * x[s * k + j];
        }
      }
    }
    // Each tile is one MAC per feature column (k vectors driven through the same crossbar).
    counters.mac((long) t.numTiles() * k, (long) t.edgeSrc().length * k);
  }
}
