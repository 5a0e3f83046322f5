package dev.weft.accel.circulant;

/**
 * Latency and energy of one layer product y = W·x on an E-RNN-style FPGA ({@link FpgaParams}), from
 * the layer's shape and block size alone. Work per input vector, with p = ⌈m/k⌉, q = ⌈n/k⌉:
 *
 * <ul>
 *   <li>q FFTs and p IFFTs of k points, (k/2)·log₂k radix-2 butterflies each (one complex multiply
 *       and two complex adds: 4 multiplies, 6 adds);
 *   <li>p·q·(k/2 + 1) complex multiply-accumulates on the half spectrum (4 multiplies, 4 adds);
 *   <li>weights: the spectra of the blocks, k real values per block (the conjugate-symmetric
 *       spectrum of a real block has k free reals), so p·q·k values against m·n dense.
 * </ul>
 *
 * FFT units and MAC arrays run as a pipeline, so cycles are the larger of the two stages plus one
 * FFT pipeline fill (log₂k stages); if the weights exceed on-chip memory they stream from DRAM and
 * the product cannot be faster than that. The dense estimate runs the same MAC lanes on real
 * multiply-accumulates (four real MACs per complex MAC lane) over m·n weights. Batches multiply the
 * compute and reuse the weights.
 */
public final class FpgaCostModel {

  /**
   * One layer's estimate.
   *
   * @param cycles clock cycles for the batch
   * @param seconds cycles / clock, or the DRAM streaming time if longer
   * @param joules dynamic (arithmetic + memory) plus static energy
   * @param multiplies real multiplies
   * @param adds real adds
   * @param weightBits bits of stored weights
   * @param onChip whether the weights fit on chip
   */
  public record Estimate(
      double cycles,
      double seconds,
      double joules,
      double multiplies,
      double adds,
      long weightBits,
      boolean onChip) {}

  private final FpgaParams params;

  public FpgaCostModel(FpgaParams params) {
    this.params = params;
  }

  /** A block-circulant m × n layer with block size k (a power of two) on a batch of inputs. */
  public Estimate circulant(int rows, int cols, int k, int batch) {
    BlockCirculantMatrix.checkShape(rows, cols, k, BlockCirculantMatrix.Padding.ZERO);
    if (Integer.bitCount(k) != 1) {
      throw new IllegalArgumentException(
          "the FPGA model's FFT units are radix-2: block size k must be a power of two, got " + k);
    }
    checkBatch(batch);
    long p = BlockCirculantMatrix.ceilDiv(rows, k);
    long q = BlockCirculantMatrix.ceilDiv(cols, k);
    int log = Integer.numberOfTrailingZeros(k);
    double butterflies = (double) batch * (p + q) * (k / 2.0) * log;
    double macs = (double) batch * p * q * (k / 2 + 1);
    double pe = params.processingElements();
    // A streaming radix-2 FFT taking fftLanes samples per cycle retires fftLanes/2·log₂k
    // butterflies per cycle (one per stage per pair of samples).
    double fftCycles = butterflies / (pe * params.fftLanes() / 2.0 * Math.max(1, log));
    double macCycles = macs / (pe * params.macLanes());
    double cycles = Math.max(fftCycles, macCycles) + (k > 1 ? k / (double) params.fftLanes() : 0);
    long weightBits = p * q * k * params.valueBits();
    return finish(cycles, 4 * butterflies + 4 * macs, 6 * butterflies + 4 * macs, weightBits);
  }

  /** The same m × n layer dense, on the same MAC lanes. */
  public Estimate dense(int rows, int cols, int batch) {
    if (rows < 1 || cols < 1) {
      throw new IllegalArgumentException("rows and cols must be >= 1");
    }
    checkBatch(batch);
    double macs = (double) batch * rows * cols;
    double cycles = macs / (params.processingElements() * 4.0 * params.macLanes());
    long weightBits = (long) rows * cols * params.valueBits();
    return finish(cycles, macs, macs, weightBits);
  }

  private static void checkBatch(int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1: " + batch);
    }
  }

  private Estimate finish(double cycles, double multiplies, double adds, long weightBits) {
    boolean onChip = weightBits <= params.onChipBits();
    double weightBytes = weightBits / 8.0;
    double seconds = cycles / params.clockHz();
    if (!onChip) {
      seconds = Math.max(seconds, weightBytes / params.dramBytesPerSecond());
    }
    double joules =
        1e-12
                * (multiplies * params.multiplyPj()
                    + adds * params.addPj()
                    + weightBytes * (onChip ? params.onChipPjPerByte() : params.dramPjPerByte()))
            + params.staticWatts() * seconds;
    return new Estimate(cycles, seconds, joules, multiplies, adds, weightBits, onChip);
  }
}
