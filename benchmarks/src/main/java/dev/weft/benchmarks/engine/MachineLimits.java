package dev.weft.benchmarks.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * The machine's limits as the engine sees them: memory read bandwidth through the engine, and the
 * matrix-product rate at a given shape. A step can go no faster than reading its weights once, nor
 * than its weight products alone.
 */
final class MachineLimits {

  private final NDManager manager;
  private final double bytesPerSecond;

  MachineLimits(NDManager manager) {
    this.manager = manager;
    this.bytesPerSecond = measureReadBandwidth();
  }

  double bytesPerSecond() {
    return bytesPerSecond;
  }

  /** Seconds to read {@code bytes} once at the measured bandwidth. */
  double memorySeconds(long bytes) {
    return bytes / bytesPerSecond;
  }

  /**
   * Median seconds of {@code [rows, in] x [in, out]}: the rate the engine gets at exactly this
   * shape, which for skinny shapes is far below the machine's peak.
   */
  double matmulSeconds(int rows, int in, int out) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = scope.randomUniform(-1, 1, new Shape(rows, in));
      NDArray w = scope.randomUniform(-1, 1, new Shape(in, out));
      int reps = Math.max(5, (int) Math.min(200, 2e9 / (2.0 * rows * in * out)));
      double[] times = new double[reps];
      for (int i = -3; i < reps; i++) {
        try (NDManager step = scope.newSubManager()) {
          NDArray xs = x.duplicate();
          xs.attach(step);
          long t0 = System.nanoTime();
          xs.matMul(w);
          long t1 = System.nanoTime();
          if (i >= 0) {
            times[i] = (t1 - t0) / 1e9;
          }
        }
      }
      return median(times);
    }
  }

  /** Reads a 512 MiB array (a sum), far larger than any cache; median of several runs. */
  private double measureReadBandwidth() {
    long floats = 128L * 1024 * 1024;
    try (NDManager scope = manager.newSubManager()) {
      NDArray big = scope.ones(new Shape(floats), DataType.FLOAT32);
      double[] times = new double[7];
      for (int i = -2; i < times.length; i++) {
        long t0 = System.nanoTime();
        big.sum().getFloat();
        long t1 = System.nanoTime();
        if (i >= 0) {
          times[i] = (t1 - t0) / 1e9;
        }
      }
      return floats * 4 / median(times);
    }
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
