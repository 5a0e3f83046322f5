package dev.weft.accel.circulant;

/**
 * Settings a backend may use when it prepares a matrix.
 *
 * @param threads worker threads (java: over blocks and batch rows; pytorch and onnxruntime:
 *     intra-op threads)
 */
public record KernelOptions(int threads) {

  public KernelOptions {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1: " + threads);
    }
  }

  public static KernelOptions defaults() {
    return new KernelOptions(Runtime.getRuntime().availableProcessors());
  }
}
