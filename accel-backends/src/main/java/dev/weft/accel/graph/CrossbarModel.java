package dev.weft.accel.graph;

import java.util.Locale;

/**
 * Time and energy of a tile stream on GraphR-style ReRAM crossbars. A tile is programmed row by row
 * (C writes, only its non-zero cells spend write energy), then read: in parallel-MAC mode once with
 * all rows driven, then C column conversions; in add-op mode once per active source row. {@link
 * CrossbarParams#parallelTiles()} tiles proceed at once. The model ignores the memory ReRAM and the
 * controller, as GraphR's own estimates of the graph engines do not, so it flatters the
 * accelerator; it is a first-order estimate, reported beside measured CPU time.
 */
public final class CrossbarModel {

  private final CrossbarParams p;

  public CrossbarModel(CrossbarParams p) {
    this.p = p;
  }

  /** Estimated seconds and joules for the counted tile operations. */
  public Estimate estimate(TileCounters c) {
    int size = p.crossbarSize();
    int slices = p.slices();
    double program = size * p.writeLatencyNs();
    double convert = size * p.adcLatencyNs();
    // Serial work in ns, spread over the crossbars working in parallel.
    double macNs = c.macTiles() * (program + p.readLatencyNs() + convert);
    double addNs = c.addOpTiles() * program + c.addOpRows() * (p.readLatencyNs() + convert);
    double timeNs = Math.ceil((macNs + addNs) / p.parallelTiles());
    double writePj = (double) c.edges() * slices * p.writeEnergyPj();
    double readPj =
        ((double) c.macTiles() * size * size + (double) c.addOpRows() * size)
            * slices
            * p.readEnergyPj();
    double adcPj = ((double) c.macTiles() + c.addOpRows()) * size * slices * p.adcEnergyPj();
    return new Estimate(timeNs * 1e-9, (writePj + readPj + adcPj) * 1e-12);
  }

  /**
   * An estimate beside a measured CPU time.
   *
   * @param seconds modelled accelerator time
   * @param joules modelled accelerator energy
   */
  public record Estimate(double seconds, double joules) {

    /** Measured CPU seconds over modelled seconds (GraphR reports 16.01× geomean). */
    public double speedupOver(double cpuSeconds) {
      return cpuSeconds / seconds;
    }

    /** CPU energy (time × TDP) over modelled energy (GraphR reports 33.82× geomean). */
    public double energySavingOver(double cpuSeconds, double cpuWatts) {
      return cpuSeconds * cpuWatts / joules;
    }

    public String describe(double cpuSeconds, double cpuWatts) {
      return String.format(
          Locale.ROOT,
          "crossbar model: %.6f s, %.6f J; vs measured CPU %.6f s: %.2fx speedup, "
              + "%.2fx energy saving (GraphR paper: 16.01x, 33.82x geomean)",
          seconds,
          joules,
          cpuSeconds,
          speedupOver(cpuSeconds),
          energySavingOver(cpuSeconds, cpuWatts));
    }
  }
}
