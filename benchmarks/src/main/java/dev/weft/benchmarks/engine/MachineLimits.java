package dev.weft.benchmarks.engine;

import ai.djl.ndarray.NDManager;
import dev.weft.cli.sim.HardwareProbe;

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
    return HardwareProbe.matmulSeconds(manager, rows, in, out);
  }

  /** Reads a 512 MiB array (a sum), far larger than any cache; median of several runs. */
  private double measureReadBandwidth() {
    return HardwareProbe.readBytesPerSecond(manager);
  }

  static double median(double[] values) {
    return HardwareProbe.median(values);
  }
}
