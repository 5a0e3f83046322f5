package dev.weft.accel.graph;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * A private fork-join pool with a fixed thread count, so "2 threads" means 2 threads whatever the
 * common pool is sized to (on a 2-core box the common pool has only 1 worker).
 */
public final class Parallel implements AutoCloseable {

  private final ForkJoinPool pool;
  private final int threads;

  public Parallel(int threads) {
    this.threads = threads;
    this.pool = threads > 1 ? new ForkJoinPool(threads) : null;
  }

  public int threads() {
    return threads;
  }

  /** Runs body(0..chunks−1), in parallel when there is more than one thread. */
  public void forEach(int chunks, IntConsumer body) {
    if (pool == null || chunks <= 1) {
      for (int c = 0; c < chunks; c++) {
        body.accept(c);
      }
      return;
    }
    // A parallel stream started from inside a pool task runs on that pool.
    pool.submit(() -> IntStream.range(0, chunks).parallel().forEach(body)).join();
  }

  /**
   * Vertex boundaries splitting [0, n) into about {@code parts} ranges of similar work, where a
   * vertex costs one unit plus its degree, so hubs of a power-law graph don't unbalance threads.
   */
  static int[] balance(int[] offsets, int parts) {
    int n = offsets.length - 1;
    parts = Math.max(1, Math.min(parts, Math.max(1, n)));
    long total = (long) offsets[n] + n;
    int[] bounds = new int[parts + 1];
    int v = 0;
    for (int p = 1; p < parts; p++) {
      long target = total * p / parts;
      while (v < n && (long) offsets[v] + v < target) {
        v++;
      }
      bounds[p] = v;
    }
    bounds[parts] = n;
    return bounds;
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdown();
    }
  }
}
