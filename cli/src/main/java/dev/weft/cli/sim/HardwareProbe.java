package dev.weft.cli.sim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.weft.simulator.calibration.HardwareProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures the machine through the engine: read bandwidth of a 512 MiB sum, matrix-product times by
 * shape (medians), and the fixed cost of one tiny operation. Shared by {@code weft profile
 * --hardware} and the engine benchmark's limits.
 */
public final class HardwareProbe {

  /** Product shapes: rows (batch tokens) x the 15M and 110M models' layer products. */
  static final int[][] SHAPES = {
    {1, 288, 864}, {8, 288, 864}, {64, 288, 864}, {512, 288, 864}, {1, 288, 32000},
    {32, 288, 32000}, {1, 768, 2304}, {64, 768, 2304}, {512, 768, 2048}, {1024, 1024, 1024}
  };

  private HardwareProbe() {}

  static HardwareProfile.Matmul[] matmuls(NDManager manager) {
    List<HardwareProfile.Matmul> out = new ArrayList<>();
    for (int[] s : SHAPES) {
      out.add(
          new HardwareProfile.Matmul(s[0], s[1], s[2], matmulSeconds(manager, s[0], s[1], s[2])));
    }
    return out.toArray(new HardwareProfile.Matmul[0]);
  }

  public static double matmulSeconds(NDManager manager, int rows, int in, int out) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = scope.randomUniform(-1, 1, new Shape(rows, in));
      NDArray w = scope.randomUniform(-1, 1, new Shape(in, out));
      int reps = Math.max(5, (int) Math.min(100, 1e9 / (2.0 * rows * in * out)));
      double[] times = new double[reps];
      for (int i = -3; i < reps; i++) {
        try (NDManager step = scope.newSubManager()) {
          long t0 = System.nanoTime();
          NDArray y = x.matMul(w);
          y.attach(step);
          long t1 = System.nanoTime();
          if (i >= 0) {
            times[i] = (t1 - t0) / 1e9;
          }
        }
      }
      return median(times);
    }
  }

  public static double readBytesPerSecond(NDManager manager) {
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

  /** Median nanoseconds of adding two 4-element arrays: the engine's per-operation overhead. */
  static double opOverheadNanos(NDManager manager) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray a = scope.ones(new Shape(4));
      double[] times = new double[200];
      for (int i = -50; i < times.length; i++) {
        try (NDManager step = scope.newSubManager()) {
          long t0 = System.nanoTime();
          NDArray b = a.add(a);
          b.attach(step);
          long t1 = System.nanoTime();
          if (i >= 0) {
            times[i] = t1 - t0;
          }
        }
      }
      return median(times);
    }
  }

  public static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
