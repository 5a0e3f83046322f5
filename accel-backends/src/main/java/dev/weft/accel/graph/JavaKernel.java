package dev.weft.accel.graph;

import dev.weft.data.graph.Graph;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Parallel CSR/CSC kernel. Products pull over the adjacency that ends at each output vertex, so no
 * two threads write the same entry. Relaxation pushes from a small frontier (atomic min on the
 * target) and switches to pull when the frontier's edges exceed 1/{@value #PULL_DIVISOR} of the
 * graph — Beamer's direction optimisation, which for BFS also stops scanning a vertex's in-edges at
 * the first parent found.
 */
final class JavaKernel implements GraphKernel {

  private static final VarHandle DOUBLES = MethodHandles.arrayElementVarHandle(double[].class);
  private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
  static final int PULL_DIVISOR = 20;

  private final Graph g;
  private final Adjacency out;
  private final Adjacency in;
  private final Parallel par;
  private final int parts;
  private final int[] outBounds;
  private final int[] inBounds;
  private final int[] stamp;
  private final JavaBfs bfs;
  private int round;
  private long pullSteps;
  private long pushSteps;

  JavaKernel(Graph g, int threads) {
    this.g = g;
    this.out = Adjacency.out(g);
    this.in = Adjacency.in(g);
    this.par = new Parallel(threads);
    // Several chunks per thread so work stealing evens out what the balance misses.
    this.parts = threads == 1 ? 1 : threads * 16;
    this.outBounds = Parallel.balance(out.off(), parts);
    this.inBounds = Parallel.balance(in.off(), parts);
    this.stamp = new int[g.numVertices()];
    this.bfs = new JavaBfs(out, in, par, parts);
  }

  @Override
  public Graph graph() {
    return g;
  }

  @Override
  public String backend() {
    return "java";
  }

  /** How many relax steps ran pull and push (for the BFS direction-optimisation report). */
  long[] directionCounts() {
    return new long[] {pushSteps, pullSteps};
  }

  @Override
  public void multiply(Semiring sr, Direction dir, double[] x, double[] y) {
    Adjacency a = dir == Direction.FORWARD ? in : out;
    int[] b = dir == Direction.FORWARD ? inBounds : outBounds;
    par.forEach(b.length - 1, c -> pullRange(sr, a, x, y, b[c], b[c + 1]));
  }

  private static void pullRange(Semiring sr, Adjacency a, double[] x, double[] y, int lo, int hi) {
    int[] off = a.off();
    int[] nbr = a.nbr();
    float[] w = a.w();
    switch (sr) {
      case PLUS_FIRST -> {
        for (int v = lo; v < hi; v++) {
          double acc = 0;
          for (int k = off[v]; k < off[v + 1]; k++) {
            acc += x[nbr[k]];
          }
          y[v] = acc;
        }
      }
      case PLUS_TIMES -> {
        for (int v = lo; v < hi; v++) {
          double acc = 0;
          for (int k = off[v]; k < off[v + 1]; k++) {
            acc += x[nbr[k]] * (w == null ? 1.0 : w[k]);
          }
          y[v] = acc;
        }
      }
      default -> {
        for (int v = lo; v < hi; v++) {
          double acc = sr.identity();
          for (int k = off[v]; k < off[v + 1]; k++) {
            acc = Math.min(acc, sr.mul(x[nbr[k]], a.weight(k)));
          }
          y[v] = acc;
        }
      }
    }
  }

  @Override
  public int[] relax(Semiring sr, Direction dir, double[] values, int[] frontier) {
    if (!sr.isMin()) {
      throw new IllegalArgumentException("relax needs a min semiring, not " + sr);
    }
    Adjacency push = dir == Direction.FORWARD ? out : in;
    long frontierEdges = 0;
    for (int v : frontier) {
      frontierEdges += push.degree(v);
    }
    if (frontierEdges > (long) g.numEdges() / PULL_DIVISOR) {
      pullSteps++;
      return relaxPull(sr, dir, values, frontier);
    }
    pushSteps++;
    return relaxPush(sr, push, values, frontier);
  }

  private int[] relaxPush(Semiring sr, Adjacency a, double[] values, int[] frontier) {
    int mark = nextRound();
    // The frontier's values before the step: another thread may lower a frontier vertex
    // while we push from it, and the step must not see that (synchronous semantics).
    double[] before = new double[frontier.length];
    for (int i = 0; i < frontier.length; i++) {
      before[i] = values[frontier[i]];
    }
    int chunks = Math.max(1, Math.min(parts, frontier.length / 64));
    int[][] found = new int[chunks][];
    int[] counts = new int[chunks];
    par.forEach(
        chunks,
        c -> {
          int lo = (int) ((long) frontier.length * c / chunks);
          int hi = (int) ((long) frontier.length * (c + 1) / chunks);
          int[] local = new int[16];
          int size = 0;
          int[] off = a.off();
          int[] nbr = a.nbr();
          for (int i = lo; i < hi; i++) {
            int s = frontier[i];
            double base = before[i];
            for (int k = off[s]; k < off[s + 1]; k++) {
              int t = nbr[k];
              double cand = sr.mul(base, a.weight(k));
              if (atomicMin(values, t, cand) && claim(t, mark)) {
                if (size == local.length) {
                  local = Arrays.copyOf(local, size * 2);
                }
                local[size++] = t;
              }
            }
          }
          found[c] = local;
          counts[c] = size;
        });
    return concat(found, counts);
  }

  private int[] relaxPull(Semiring sr, Direction dir, double[] values, int[] frontier) {
    int n = g.numVertices();
    long[] active = new long[(n + 63) >>> 6];
    double lowest = Double.POSITIVE_INFINITY;
    double highest = Double.NEGATIVE_INFINITY;
    for (int v : frontier) {
      active[v >>> 6] |= 1L << v;
      lowest = Math.min(lowest, values[v]);
      highest = Math.max(highest, values[v]);
    }
    // With one frontier level, any active parent gives the same BFS depth: stop at the first.
    boolean firstParent = sr == Semiring.MIN_PLUS_ONE && lowest == highest;
    double floor = sr == Semiring.MIN_PLUS_ONE ? lowest + 1 : lowest;
    boolean canSkip = sr == Semiring.MIN_PLUS_ONE || sr == Semiring.MIN_FIRST;
    Adjacency a = dir == Direction.FORWARD ? in : out;
    int[] b = dir == Direction.FORWARD ? inBounds : outBounds;
    int chunks = b.length - 1;
    int[][] found = new int[chunks][];
    int[] counts = new int[chunks];
    // Sources read a snapshot so targets updated in this step never feed each other (a
    // synchronous step). One BFS level needs none: its sources can't improve in that step.
    double[] snapshot = firstParent ? null : values.clone();
    par.forEach(
        chunks,
        c -> {
          int[] local = new int[16];
          int size = 0;
          int[] off = a.off();
          int[] nbr = a.nbr();
          double[] src = snapshot == null ? values : snapshot;
          for (int v = b[c]; v < b[c + 1]; v++) {
            double cur = values[v];
            if (canSkip && cur <= floor) {
              continue;
            }
            double best = cur;
            for (int k = off[v]; k < off[v + 1]; k++) {
              int s = nbr[k];
              if ((active[s >>> 6] & (1L << s)) == 0) {
                continue;
              }
              double cand = sr.mul(src[s], a.weight(k));
              if (cand < best) {
                best = cand;
                if (firstParent) {
                  break;
                }
              }
            }
            if (best < cur) {
              values[v] = best;
              if (size == local.length) {
                local = Arrays.copyOf(local, size * 2);
              }
              local[size++] = v;
            }
          }
          found[c] = local;
          counts[c] = size;
        });
    return concat(found, counts);
  }

  private static boolean atomicMin(double[] values, int t, double cand) {
    while (true) {
      double cur = (double) DOUBLES.getVolatile(values, t);
      if (!(cand < cur)) {
        return false;
      }
      if (DOUBLES.compareAndSet(values, t, cur, cand)) {
        return true;
      }
    }
  }

  /** True for the first thread to report t in this round. */
  private boolean claim(int t, int mark) {
    int cur = (int) INTS.getVolatile(stamp, t);
    return cur != mark && INTS.compareAndSet(stamp, t, cur, mark);
  }

  private int nextRound() {
    round++;
    if (round == 0) {
      Arrays.fill(stamp, 0);
      round = 1;
    }
    return round;
  }

  private static int[] concat(int[][] parts, int[] counts) {
    int total = 0;
    for (int c : counts) {
      total += c;
    }
    int[] outArr = new int[total];
    int pos = 0;
    for (int i = 0; i < parts.length; i++) {
      System.arraycopy(parts[i], 0, outArr, pos, counts[i]);
      pos += counts[i];
    }
    return outArr;
  }

  @Override
  public void spmm(Direction dir, double[] v, double[] x, int k, double[] y) {
    Adjacency a = dir == Direction.FORWARD ? in : out;
    int[] b = dir == Direction.FORWARD ? inBounds : outBounds;
    par.forEach(
        b.length - 1,
        c -> {
          int[] off = a.off();
          int[] nbr = a.nbr();
          for (int t = b[c]; t < b[c + 1]; t++) {
            for (int i = off[t]; i < off[t + 1]; i++) {
              double val = v[a.edge(i)];
              int s = nbr[i];
              for (int j = 0; j < k; j++) {
                y[t * k + j] += val * x[s * k + j];
              }
            }
          }
        });
  }

  /** GAP's direction-optimising BFS on int depths ({@link JavaBfs}); same depths as relax. */
  @Override
  public int[] bfs(int source) {
    SemiringPrograms.checkSource(g, source);
    return bfs.run(source);
  }

  @Override
  public PageRankResult pageRank(PageRankConfig cfg) {
    return JavaPageRank.run(g, in, inBounds, par, cfg);
  }

  @Override
  public void close() {
    par.close();
  }
}
