package dev.weft.scheduler;

/**
 * Executes one step's plan: the model forward pass over every scheduled sequence's tokens, and the
 * sampling of one token for each sequence whose {@link ScheduledSequence#sample()} is set.
 *
 * <p>The live server's runner is the engine's model; the simulator's only advances its virtual
 * clock by the cost model's prediction; tests use {@link dev.weft.scheduler.testing.FakeRunner}. A
 * runner may throw: the loop then aborts the step's requests (reason {@link
 * AbortReason#RUNNER_ERROR}) and goes on with the others.
 */
@FunctionalInterface
public interface Runner {
  RunnerResult execute(StepPlan plan);
}
