package dev.weft.server;

import dev.weft.scheduler.Runner;
import dev.weft.scheduler.RunnerResult;
import dev.weft.scheduler.ScheduledSequence;
import dev.weft.scheduler.StepPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a request that breaks the runner fail alone, not its whole batch: when a batched step
 * throws, each of its sequences is run again by itself, and only those that fail again are reported
 * as {@link RunnerResult.Failure}s. Rerunning is safe because a sequence writes only its own slots
 * and reads only blocks computed in earlier steps. A step that also moved blocks (swap preemption)
 * is not rerun, since the moves may have happened before the failure; the loop then aborts that
 * step's requests as before.
 */
final class IsolatingRunner implements Runner {

  private final Runner delegate;

  IsolatingRunner(Runner delegate) {
    this.delegate = delegate;
  }

  @Override
  public RunnerResult execute(StepPlan plan) {
    try {
      return delegate.execute(plan);
    } catch (RuntimeException batchFailure) {
      boolean movedBlocks =
          !plan.swapIn().isEmpty() || !plan.swapOut().isEmpty() || !plan.copies().isEmpty();
      if (plan.sequences().size() < 2 || movedBlocks) {
        throw batchFailure;
      }
      List<RunnerResult.Sample> samples = new ArrayList<>();
      List<RunnerResult.Failure> failures = new ArrayList<>();
      for (ScheduledSequence sequence : plan.sequences()) {
        StepPlan alone =
            new StepPlan(
                plan.step(),
                plan.blockSize(),
                List.of(sequence),
                List.of(),
                List.of(),
                List.of(),
                0);
        try {
          samples.addAll(delegate.execute(alone).samples());
        } catch (RuntimeException e) {
          failures.add(
              new RunnerResult.Failure(
                  sequence.requestId(),
                  "the model failed on this request: "
                      + e.getClass().getSimpleName()
                      + ": "
                      + e.getMessage()));
        }
      }
      return new RunnerResult(samples, failures);
    }
  }
}
