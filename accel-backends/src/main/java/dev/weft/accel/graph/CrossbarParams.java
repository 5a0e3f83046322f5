package dev.weft.accel.graph;

/**
 * Parameters of a GraphR-style ReRAM accelerator. Sources (arXiv 1708.06248, HPCA'18):
 *
 * <ul>
 *   <li>crossbarSize 8: GraphR §3/§5 use 8×8 crossbars (NOTES.md §7).
 *   <li>crossbarsPerEngine 32, engines 64, cellBits 4, valueBits 16: GraphR §5.1 experimental setup
 *       as recorded here; [check] against the paper's setup table before quoting.
 *   <li>read/write latency 29.31 ns / 50.88 ns and read/write energy 1.08 pJ / 3.91 nJ per cell:
 *       the NVSim ReRAM cell model GraphR §5.1 takes from the same group's PipeLayer (HPCA'17);
 *       [check].
 *   <li>ADC 0.78 ns and 1.56 pJ per conversion: an 8-bit 1.28 GS/s, 2 mW ADC as in ISAAC (ISCA'16,
 *       Table 6), the converter GraphR's crossbars assume; [check].
 *   <li>cpuWatts 85: TDP of a Xeon E5-2630 v3, used only to turn measured CPU time into an energy
 *       for the ratio; it is not measured.
 * </ul>
 */
public record CrossbarParams(
    int crossbarSize,
    int crossbarsPerEngine,
    int engines,
    int cellBits,
    int valueBits,
    double readLatencyNs,
    double writeLatencyNs,
    double readEnergyPj,
    double writeEnergyPj,
    double adcLatencyNs,
    double adcEnergyPj,
    double cpuWatts) {

  public CrossbarParams {
    if (crossbarSize < 1 || crossbarsPerEngine < 1 || engines < 1) {
      throw new IllegalArgumentException("crossbar size and counts must be >= 1");
    }
    if (cellBits < 1 || valueBits < cellBits) {
      throw new IllegalArgumentException("need 1 <= cellBits <= valueBits");
    }
    for (double v :
        new double[] {
          readLatencyNs, writeLatencyNs, readEnergyPj, writeEnergyPj, adcLatencyNs, adcEnergyPj
        }) {
      if (!(v >= 0) || !Double.isFinite(v)) {
        throw new IllegalArgumentException("latencies and energies must be finite and >= 0");
      }
    }
    if (!(cpuWatts > 0)) {
      throw new IllegalArgumentException("cpuWatts must be > 0");
    }
  }

  /** The values listed above. */
  public static CrossbarParams graphR() {
    return new CrossbarParams(8, 32, 64, 4, 16, 29.31, 50.88, 1.08, 3910, 0.78, 1.56, 85);
  }

  /** Crossbars needed to hold one value: a 16-bit weight spans 16/4 = 4 cells. */
  public int slices() {
    return (valueBits + cellBits - 1) / cellBits;
  }

  /** Tiles processed at once: every crossbar of every engine, grouped by slices. */
  public int parallelTiles() {
    return Math.max(1, crossbarsPerEngine * engines / slices());
  }
}
