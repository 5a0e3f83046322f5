package dev.weft.trainer.hypar;

import java.util.List;

/**
 * Time and energy of one training step on {@code 2^H} accelerators joined by an H-tree.
 *
 * <p>Compute: {@code 2 x trainingMacs} operations spread evenly over the accelerators (data and
 * model parallelism both split every layer's work in halves), at {@code opsPerSecond} each.
 * Communication: level Hh's exchanges run on the 2^(h-1) level-h links at once, each carrying one
 * group's amount per direction, so level h takes {@code 4 bytes x com_h / bandwidth_h}. Levels run
 * one after another and do not overlap compute (an upper bound). Energy: every operation and every
 * byte sent between accelerators (both directions of every exchange) at a fixed cost.
 *
 * <p>Defaults, cited (see {@code benchmarks/results/hypar/README.md} for the discussion):
 *
 * <ul>
 *   <li>5.58 TOPS per accelerator: a DaDianNao node's peak (Chen et al., "DaDianNao: A
 *       Machine-Learning Supercomputer", MICRO 2014), a multi-chip array built for training.
 *   <li>30 GB/s per direction on every H-tree link: one full-width Hybrid Memory Cube link, 16
 *       lanes at 15 Gb/s (HMC Consortium, HMC Specification 1.0, 2013); HyPar's array is built of
 *       HMC-based accelerators.
 *   <li>2.3 pJ per operation: a 32-bit floating-point multiply (3.7 pJ) plus add (0.9 pJ) per
 *       multiply-accumulate in 45 nm (Horowitz, "Computing's energy problem", ISSCC 2014).
 *   <li>80 pJ per byte moved (10 pJ/bit): the order of an HMC access over its SerDes link (Jeddeloh
 *       and Keeth, "Hybrid Memory Cube new DRAM architecture increases density and performance",
 *       VLSI Technology 2012, report about 10 pJ/bit). An assumption, not a measurement of HyPar's
 *       array.
 * </ul>
 */
public record ArrayModel(
    double opsPerSecond,
    List<Double> linkBytesPerSecond,
    double joulesPerOp,
    double joulesPerByte) {

  public static final double DEFAULT_OPS = 5.58e12;
  public static final double DEFAULT_LINK = 30e9;
  public static final double DEFAULT_J_PER_OP = 2.3e-12;
  public static final double DEFAULT_J_PER_BYTE = 80e-12;

  public ArrayModel {
    if (!(opsPerSecond > 0) || !(joulesPerOp >= 0) || !(joulesPerByte >= 0)) {
      throw new IllegalArgumentException("compute rate must be positive and energies non-negative");
    }
    linkBytesPerSecond = List.copyOf(linkBytesPerSecond);
    if (linkBytesPerSecond.isEmpty()) {
      throw new IllegalArgumentException("give at least one link bandwidth");
    }
    for (double b : linkBytesPerSecond) {
      if (!(b > 0)) {
        throw new IllegalArgumentException("link bandwidth " + b + " B/s is not positive");
      }
    }
  }

  public static ArrayModel defaults() {
    return new ArrayModel(DEFAULT_OPS, List.of(DEFAULT_LINK), DEFAULT_J_PER_OP, DEFAULT_J_PER_BYTE);
  }

  /** Bandwidth of level Hh's links; the last value given holds for all deeper levels. */
  public double bandwidth(int h) {
    return linkBytesPerSecond.get(Math.min(h, linkBytesPerSecond.size()) - 1);
  }

  /** Modelled step time and energy, split into compute and communication. */
  public record Estimate(
      double computeSeconds, double commSeconds, double computeJoules, double commJoules) {

    public double seconds() {
      return computeSeconds + commSeconds;
    }

    public double joules() {
      return computeJoules + commJoules;
    }
  }

  public Estimate estimate(Network net, Plan plan) {
    int accelerators = 1 << plan.depth();
    double ops = 2 * net.trainingMacs();
    double comm = 0;
    for (int h = 1; h <= plan.depth(); h++) {
      comm += 4 * plan.levelElements().get(h - 1) / bandwidth(h);
    }
    return new Estimate(
        ops / (accelerators * opsPerSecond),
        comm,
        ops * joulesPerOp,
        plan.bytesSentByAll() * joulesPerByte);
  }
}
