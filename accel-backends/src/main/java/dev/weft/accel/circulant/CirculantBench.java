package dev.weft.accel.circulant;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Times one backend's block-circulant forward product against the same backend's dense product with
 * the expanded matrix: median seconds per call after warm-up calls, so JIT compilation and one-time
 * native set-up are not counted.
 */
public final class CirculantBench {

  /**
   * One backend's measurement.
   *
   * @param backend backend name
   * @param circulantSeconds median seconds of one block-circulant product
   * @param denseSeconds median seconds of one dense product on the same backend
   * @param storedBytes bytes of block vectors (float32)
   * @param denseBytes bytes of the dense matrix (float32)
   */
  public record Row(
      String backend,
      double circulantSeconds,
      double denseSeconds,
      long storedBytes,
      long denseBytes) {

    public double speedup() {
      return denseSeconds / circulantSeconds;
    }

    /** Dense weight bytes read per second, the bandwidth the dense product reached. */
    public double denseBytesPerSecond() {
      return denseBytes / denseSeconds;
    }
  }

  /**
   * Benchmark settings.
   *
   * @param batch rows per product
   * @param warmup untimed calls first
   * @param minReps timed calls at least
   * @param minSeconds keep timing until this much time has passed (and minReps calls)
   * @param seed for the input
   */
  public record Settings(int batch, int warmup, int minReps, double minSeconds, long seed) {
    public Settings {
      if (batch < 1 || warmup < 0 || minReps < 1 || minSeconds < 0) {
        throw new IllegalArgumentException(
            "bench settings must have batch >= 1, warmup >= 0, reps >= 1, seconds >= 0");
      }
    }
  }

  private CirculantBench() {}

  /** Measures {@code backend} on {@code matrix}. */
  public static Row run(
      CirculantBackend backend,
      BlockCirculantMatrix matrix,
      KernelOptions options,
      Settings settings) {
    float[] x = randomInput(settings.batch() * matrix.cols(), settings.seed());
    double circ;
    try (CirculantKernel k = backend.prepare(matrix, options)) {
      circ = median(() -> k.forward(x, settings.batch()), settings);
    }
    double dense;
    long denseBytes;
    try (DenseKernel d = backend.prepareDense(matrix, options)) {
      dense = median(() -> d.forward(x, settings.batch()), settings);
      denseBytes = d.weightBytes();
    }
    return new Row(backend.name(), circ, dense, matrix.storedBytes(), denseBytes);
  }

  static float[] randomInput(int size, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = (float) (rnd.nextDouble() * 2 - 1);
    }
    return x;
  }

  private static double median(Supplier<float[]> call, Settings s) {
    float sink = 0;
    for (int i = 0; i < s.warmup(); i++) {
      sink += call.get()[0];
    }
    double[] times = new double[Math.max(s.minReps(), 16)];
    int n = 0;
    long start = System.nanoTime();
    while (n < s.minReps() || (System.nanoTime() - start) / 1e9 < s.minSeconds()) {
      long t0 = System.nanoTime();
      sink += call.get()[0];
      long t1 = System.nanoTime();
      if (n == times.length) {
        times = Arrays.copyOf(times, n * 2);
      }
      times[n++] = (t1 - t0) / 1e9;
    }
    if (Float.isNaN(sink)) {
      throw new IllegalStateException("a product returned NaN");
    }
    double[] t = Arrays.copyOf(times, n);
    Arrays.sort(t);
    return n % 2 == 1 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
  }
}
