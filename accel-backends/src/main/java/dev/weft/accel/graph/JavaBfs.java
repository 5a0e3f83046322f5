package dev.weft.accel.graph;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Beamer's direction-optimising BFS as GAP runs it, on int depths. Top-down steps expand a sliding
 * queue (one array, a window per level) and claim targets with a CAS on depth; each chunk batches
 * what it finds in a reused local buffer and appends it with one fetch-add. Bottom-up steps read
 * the frontier as a bitmap and let every unvisited vertex stop at its first in-neighbour in it;
 * chunks own whole 64-bit words of the next bitmap, so no atomics. The switches are GAP's: go
 * bottom-up when the frontier's out-edges exceed 1/{@value #ALPHA} of the edges not yet checked,
 * come back when the frontier shrinks below n/{@value #BETA}. Levels stay synchronous, so depths
 * are exact. Buffers are allocated once per kernel and reused by every search.
 */
final class JavaBfs {

  static final int ALPHA = 15;
  static final int BETA = 18;
  private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
  private static final int MAX_CHUNKS = 256;
  private static final int MIN_CHUNK = 64;

  private final Adjacency out;
  private final Adjacency in;
  private final Parallel par;
  private final int n;
  private final int[] wordBounds;
  private final int[][] local = new int[MAX_CHUNKS][];
  private final long[] scouts = new long[MAX_CHUNKS];
  private final long[] awakes;
  private final AtomicInteger tail = new AtomicInteger();
  private int[] queue;
  private long[] front;
  private long[] next;
  private long topDownSteps;
  private long bottomUpSteps;

  JavaBfs(Adjacency out, Adjacency in, Parallel par, int parts) {
    this.out = out;
    this.in = in;
    this.par = par;
    this.n = out.off().length - 1;
    // Bottom-up chunks balanced by in-degree, cut at 64-vertex boundaries (bitmap words).
    int[] b = Parallel.balance(in.off(), parts);
    int words = (n + 63) >>> 6;
    this.wordBounds = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      wordBounds[i] = i == b.length - 1 ? words : b[i] >>> 6;
    }
    this.awakes = new long[b.length - 1];
  }

  /** Steps run top-down (push) and bottom-up (pull) so far. */
  long[] directionCounts() {
    return new long[] {topDownSteps, bottomUpSteps};
  }

  int[] run(int source) {
    if (queue == null) {
      queue = new int[n];
      front = new long[(n + 63) >>> 6];
      next = new long[front.length];
    }
    int[] depth = new int[n];
    Arrays.fill(depth, -1);
    depth[source] = 0;
    queue[0] = source;
    int lo = 0;
    int hi = 1;
    long edgesToCheck = out.nbr().length;
    long scout = out.degree(source);
    int level = 0;
    while (hi > lo) {
      if (scout > edgesToCheck / ALPHA) {
        queueToBitmap(lo, hi);
        long awake = hi - lo;
        long old;
        do {
          old = awake;
          awake = bottomUp(depth, level++);
          long[] t = front;
          front = next;
          next = t;
          bottomUpSteps++;
        } while (awake >= old || awake > n / BETA);
        lo = 0;
        hi = bitmapToQueue();
        scout = 1;
      } else {
        edgesToCheck -= scout;
        tail.set(hi);
        scout = topDown(depth, level++, lo, hi);
        lo = hi;
        hi = tail.get();
        topDownSteps++;
      }
    }
    return depth;
  }

  private long topDown(int[] depth, int level, int lo, int hi) {
    int size = hi - lo;
    int chunks = Math.max(1, Math.min(MAX_CHUNKS, size / MIN_CHUNK));
    int d = level + 1;
    int[] off = out.off();
    int[] nbr = out.nbr();
    int[] q = queue;
    par.forEach(
        chunks,
        c -> {
          int from = lo + (int) ((long) size * c / chunks);
          int to = lo + (int) ((long) size * (c + 1) / chunks);
          int[] buf = local[c];
          if (buf == null) {
            buf = new int[1024];
            local[c] = buf;
          }
          int fill = 0;
          long sc = 0;
          for (int i = from; i < to; i++) {
            int u = q[i];
            for (int k = off[u], e = off[u + 1]; k < e; k++) {
              int v = nbr[k];
              if (depth[v] < 0 && INTS.compareAndSet(depth, v, -1, d)) {
                if (fill == buf.length) {
                  flush(buf, fill);
                  fill = 0;
                }
                buf[fill++] = v;
                sc += off[v + 1] - off[v];
              }
            }
          }
          flush(buf, fill);
          scouts[c] = sc;
        });
    long total = 0;
    for (int c = 0; c < chunks; c++) {
      total += scouts[c];
    }
    return total;
  }

  private void flush(int[] buf, int fill) {
    if (fill > 0) {
      System.arraycopy(buf, 0, queue, tail.getAndAdd(fill), fill);
    }
  }

  private long bottomUp(int[] depth, int level) {
    int d = level + 1;
    int[] off = in.off();
    int[] nbr = in.nbr();
    long[] f = front;
    long[] nx = next;
    int chunks = wordBounds.length - 1;
    par.forEach(
        chunks,
        c -> {
          long awake = 0;
          for (int w = wordBounds[c]; w < wordBounds[c + 1]; w++) {
            long bits = 0;
            int end = Math.min(n, (w << 6) + 64);
            for (int v = w << 6; v < end; v++) {
              if (depth[v] >= 0) {
                continue;
              }
              for (int k = off[v], e = off[v + 1]; k < e; k++) {
                int s = nbr[k];
                if ((f[s >>> 6] & (1L << s)) != 0) {
                  depth[v] = d;
                  bits |= 1L << v;
                  awake++;
                  break;
                }
              }
            }
            nx[w] = bits;
          }
          awakes[c] = awake;
        });
    long total = 0;
    for (long a : awakes) {
      total += a;
    }
    return total;
  }

  private void queueToBitmap(int lo, int hi) {
    Arrays.fill(front, 0L);
    for (int i = lo; i < hi; i++) {
      int v = queue[i];
      front[v >>> 6] |= 1L << v;
    }
  }

  private int bitmapToQueue() {
    int size = 0;
    for (int w = 0; w < front.length; w++) {
      long bits = front[w];
      while (bits != 0) {
        queue[size++] = (w << 6) + Long.numberOfTrailingZeros(bits);
        bits &= bits - 1;
      }
    }
    return size;
  }
}
