package dev.weft.trainer.grpc;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Float arrays for received chunks, reused once their consumer hands them back ({@link
 * dev.weft.trainer.comm.PeerNetwork#recycle}). A fresh 256 KiB array per received chunk is
 * allocated outside the thread-local allocation buffer and zeroed by the JVM's runtime before the
 * network's bytes overwrite it: in perf of a 100 MB all-reduce on 4 JVMs that zeroing alone was ~9%
 * of all CPU (benchmarks/results/trainer/exchange.md, seventh pass). A reused array is not zeroed,
 * and the most recently returned one (last in, first out) is the likeliest still in cache.
 *
 * <p>Only arrays of at least {@link #MIN_LENGTH} values are kept (smaller ones come cheaply from
 * the allocation buffer), and at most {@link #MAX_IDLE_BYTES} of idle arrays in all; beyond that a
 * returned array is left to the garbage collector. Thread-safe: the event loop takes, the worker
 * returns.
 */
final class ReceiveArrays {

  static final int MIN_LENGTH = 4096;

  static final long MAX_IDLE_BYTES = 16L << 20;

  private final Map<Integer, ArrayDeque<float[]>> idle = new HashMap<>();
  private long idleBytes;

  /** An array of exactly {@code n} values; a reused one holds stale values to be overwritten. */
  synchronized float[] take(int n) {
    ArrayDeque<float[]> q = idle.get(n);
    float[] a = q == null ? null : q.pollLast();
    if (a == null) {
      return new float[n];
    }
    idleBytes -= 4L * n;
    return a;
  }

  /**
   * Takes back an array nothing refers to any more. Returning one twice would let two later
   * messages share it, so that is refused loudly while the first return is still idle.
   */
  synchronized void give(float[] a) {
    if (a.length < MIN_LENGTH || idleBytes + 4L * a.length > MAX_IDLE_BYTES) {
      return;
    }
    ArrayDeque<float[]> q = idle.computeIfAbsent(a.length, k -> new ArrayDeque<>());
    for (float[] x : q) {
      if (x == a) {
        throw new IllegalStateException("array of " + a.length + " values returned twice");
      }
    }
    q.addLast(a);
    idleBytes += 4L * a.length;
  }

  synchronized long idleBytes() {
    return idleBytes;
  }
}
