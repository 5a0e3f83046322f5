package dev.weft.trainer.sim;

import java.util.Map;

/**
 * What a simulated run models beyond the training configuration.
 *
 * @param network latency, bandwidth and per-link delays
 * @param compute iteration and evaluation times; null to measure the real model at startup
 * @param cores cores the simulated workers share (compute takes {@code max(1, workers/cores)} times
 *     longer, as when N worker JVMs share a small machine); 0 for one core per worker
 * @param profileSamples forward/backward passes timed when {@code compute} is measured
 * @param rankCompute compute profiles of single ranks, each simulated rank with one drawing from
 *     its own instead of {@code compute} (a real twin run's ranks: in AD-PSGD the passive workers
 *     compute in a different rhythm from the active ones); empty for none
 */
public record SimulationOptions(
    NetworkModel network,
    ComputeProfile compute,
    double cores,
    int profileSamples,
    Map<Integer, ComputeProfile> rankCompute) {

  public SimulationOptions {
    if (network == null) {
      throw new IllegalArgumentException("network model is required");
    }
    if (cores < 0 || Double.isNaN(cores)) {
      throw new IllegalArgumentException("cores must be >= 0 (0: one per worker), got " + cores);
    }
    if (compute == null && profileSamples < 1) {
      throw new IllegalArgumentException("measuring compute needs at least one sample");
    }
    rankCompute = Map.copyOf(rankCompute);
  }

  /** Every rank draws from {@code compute}. */
  public SimulationOptions(
      NetworkModel network, ComputeProfile compute, double cores, int profileSamples) {
    this(network, compute, cores, profileSamples, Map.of());
  }

  /** How much longer compute takes because {@code workers} share the cores. */
  public double contention(int workers) {
    return cores == 0 ? 1 : Math.max(1, workers / cores);
  }
}
