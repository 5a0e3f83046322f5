package dev.weft.simulator;

import dev.weft.scheduler.StepRecord;
import dev.weft.simulator.metrics.RequestTiming;
import dev.weft.simulator.metrics.ServingMetrics;
import java.util.List;

/**
 * What a simulation produced.
 *
 * @param requests every request's client-side timings, in workload order
 * @param steps every executed step's record (on the virtual clock)
 * @param simulatedNanos virtual time at the end
 * @param wallNanos wall time the simulation took (not part of its output's identity)
 */
public record SimulationResult(
    List<RequestTiming> requests, List<StepRecord> steps, long simulatedNanos, long wallNanos) {
  public SimulationResult {
    requests = List.copyOf(requests);
    steps = List.copyOf(steps);
  }

  public ServingMetrics metrics() {
    return ServingMetrics.of(requests);
  }

  /** Simulated seconds per wall-clock second. */
  public double speedup() {
    return wallNanos > 0 ? simulatedNanos / (double) wallNanos : Double.POSITIVE_INFINITY;
  }
}
