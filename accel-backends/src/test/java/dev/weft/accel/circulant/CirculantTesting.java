package dev.weft.accel.circulant;

import java.util.List;
import java.util.SplittableRandom;

/** Shared helpers for the block-circulant tests. */
final class CirculantTesting {

  static final KernelOptions OPTIONS = new KernelOptions(2);

  private CirculantTesting() {}

  static List<CirculantBackend> fastBackends() {
    return CirculantBackends.all().stream().filter(b -> !b.name().equals("reference")).toList();
  }

  static float[] random(int size, long seed) {
    return CirculantBench.randomInput(size, seed);
  }

  /** ‖a − b‖ / max(‖b‖, tiny), in double. */
  static double relativeError(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
    }
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < a.length; i++) {
      diff += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
      norm += (double) b[i] * b[i];
    }
    return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-30);
  }

  static long seedOf(long... parts) {
    SplittableRandom r = new SplittableRandom(17);
    long s = r.nextLong();
    for (long p : parts) {
      s = s * 31 + p;
    }
    return s;
  }
}
