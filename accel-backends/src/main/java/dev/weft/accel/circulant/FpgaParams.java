package dev.weft.accel.circulant;

/**
 * Parameters of an E-RNN-style FPGA accelerator for block-circulant layers (E-RNN, arXiv
 * 1812.07106, HPCA'19; its predecessor C-LSTM, FPGA'18; CirCNN, arXiv 1708.08917). Every value is a
 * parameter with a documented default, not a fit to any measurement here; items marked [check] are
 * recalled from the papers and must be checked against them before quoting.
 *
 * <ul>
 *   <li>clockHz 200 MHz: the clock E-RNN and C-LSTM report for their Xilinx designs [check].
 *   <li>processingElements 16, each with one pipelined radix-2 FFT/IFFT unit of {@code fftLanes} =
 *       2 samples per cycle and {@code macLanes} = 8 complex multiply-accumulators: the
 *       E-RNN/C-LSTM structure of PEs built from FFT/IFFT, element-wise multiply and accumulate
 *       blocks [check: the per-PE counts are design choices the papers size per layer].
 *   <li>valueBits 16: 16-bit fixed point, as E-RNN and C-LSTM use [check].
 *   <li>onChipBits 38 Mb: the block RAM of a Xilinx KU060 (1080 × 36 Kb), the ESE/E-RNN board
 *       [check]; weights that do not fit stream from DRAM at dramBytesPerSecond 19.2 GB/s (one
 *       DDR4-2400 64-bit channel) [check].
 *   <li>Energies per operation from Horowitz, "Computing's energy problem" (ISSCC 2014, 45 nm):
 *       16-bit add 0.05 pJ, 16-bit multiply 0.4 pJ (between the 8- and 32-bit integer figures),
 *       on-chip SRAM 1.25 pJ per byte (10 pJ per 64-bit read of an 8 KB array), DRAM 160 pJ per
 *       byte (1.3–2.6 nJ per 64 bits). FPGA fabric spends several times these [check]; the ratios
 *       between designs, which is what the model is for, are less sensitive to that.
 *   <li>staticWatts 5: static board power charged for the time a layer runs [check against the
 *       papers' reported board power].
 * </ul>
 */
public record FpgaParams(
    double clockHz,
    int processingElements,
    int fftLanes,
    int macLanes,
    int valueBits,
    long onChipBits,
    double dramBytesPerSecond,
    double addPj,
    double multiplyPj,
    double onChipPjPerByte,
    double dramPjPerByte,
    double staticWatts) {

  public FpgaParams {
    if (!(clockHz > 0) || processingElements < 1 || fftLanes < 1 || macLanes < 1) {
      throw new IllegalArgumentException(
          "clockHz must be > 0 and processingElements, fftLanes, macLanes >= 1");
    }
    if (valueBits < 1 || onChipBits < 0 || !(dramBytesPerSecond > 0)) {
      throw new IllegalArgumentException(
          "valueBits must be >= 1, onChipBits >= 0, dramBytesPerSecond > 0");
    }
    for (double v : new double[] {addPj, multiplyPj, onChipPjPerByte, dramPjPerByte, staticWatts}) {
      if (!(v >= 0) || !Double.isFinite(v)) {
        throw new IllegalArgumentException("energies and power must be finite and >= 0");
      }
    }
  }

  /** The defaults listed above. */
  public static FpgaParams eRnn() {
    return new FpgaParams(200e6, 16, 2, 8, 16, 1080L * 36 * 1024, 19.2e9, 0.05, 0.4, 1.25, 160, 5);
  }

  public FpgaParams withProcessingElements(int value) {
    return new FpgaParams(
        clockHz,
        value,
        fftLanes,
        macLanes,
        valueBits,
        onChipBits,
        dramBytesPerSecond,
        addPj,
        multiplyPj,
        onChipPjPerByte,
        dramPjPerByte,
        staticWatts);
  }
}
