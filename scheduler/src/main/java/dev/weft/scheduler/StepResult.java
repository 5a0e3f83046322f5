package dev.weft.scheduler;

import java.util.List;
import java.util.Optional;

/**
 * What one call of {@link ServingLoop#step()} did.
 *
 * @param plan the plan the runner executed; empty when there was nothing to run
 * @param record the step's shape and timings; present exactly when a plan ran
 * @param events everything that happened to requests, in order
 */
public record StepResult(
    Optional<StepPlan> plan, Optional<StepRecord> record, List<ServingEvent> events) {

  public StepResult {
    events = List.copyOf(events);
  }

  /** Whether nothing was run (the loop had no runnable work). */
  public boolean isIdle() {
    return plan.isEmpty();
  }
}
