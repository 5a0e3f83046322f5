package dev.weft.scheduler;

/**
 * The modelled cost of copying KV blocks between the device pool and the host store, per direction
 * per step: a fixed latency plus bytes over bandwidth. On a CPU the copy is a buffer copy; for a
 * GPU the simulator gives it PCIe numbers. A live runner measures its own copies; this model is
 * what the simulator charges and what step records report as {@code modelledSwapNanos}.
 *
 * @param bytesPerBlock bytes in one KV block (see {@link KvShape#bytesPerBlock(int)})
 * @param bytesPerSecond copy bandwidth
 * @param latencyNanos fixed cost of one batch of copies in one direction
 */
public record SwapCostModel(long bytesPerBlock, double bytesPerSecond, long latencyNanos) {

  /** Copies cost nothing: for tests that are not about time. */
  public static final SwapCostModel FREE = new SwapCostModel(0, Double.POSITIVE_INFINITY, 0);

  public SwapCostModel {
    if (bytesPerBlock < 0) {
      throw new IllegalArgumentException(
          "swap cost: bytes per block is " + bytesPerBlock + ", must be >= 0");
    }
    if (!(bytesPerSecond > 0)) {
      throw new IllegalArgumentException(
          "swap cost: bandwidth is " + bytesPerSecond + " bytes/s, must be > 0");
    }
    if (latencyNanos < 0) {
      throw new IllegalArgumentException(
          "swap cost: latency is " + latencyNanos + " ns, must be >= 0");
    }
  }

  /** The cost of copying {@code blocks} blocks in one direction in one step. */
  public long nanosFor(int blocks) {
    if (blocks == 0) {
      return 0;
    }
    double transfer = blocks * (double) bytesPerBlock / bytesPerSecond * 1e9;
    return latencyNanos + (long) Math.ceil(transfer);
  }
}
