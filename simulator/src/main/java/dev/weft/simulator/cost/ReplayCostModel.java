package dev.weft.simulator.cost;

import dev.weft.simulator.CostModel;
import dev.weft.simulator.StepShape;
import dev.weft.simulator.StepTiming;
import java.util.List;

/**
 * Replays a recorded run's measured step times, step by step, and checks that the simulator
 * schedules exactly the shapes the live run executed: the shared-scheduler check (a mismatch
 * throws, naming the step).
 */
public final class ReplayCostModel implements CostModel {

  /** One recorded step: what ran and how long it took. */
  public record RecordedStep(StepShape shape, StepTiming timing) {}

  private final List<RecordedStep> steps;
  private final java.util.List<String> mismatches = new java.util.ArrayList<>();

  public ReplayCostModel(List<RecordedStep> steps) {
    this.steps = List.copyOf(steps);
  }

  @Override
  public StepTiming predict(long step, StepShape shape) {
    // The loop turns a runner's exception into aborted requests, so mismatches are also kept.
    if (step >= steps.size()) {
      String m =
          "step " + step + ": the simulator ran more steps than the " + steps.size() + " recorded";
      mismatches.add(m);
      throw new IllegalStateException(m);
    }
    RecordedStep recorded = steps.get((int) step);
    if (!recorded.shape().equals(shape)) {
      String m =
          "step " + step + ": simulator scheduled " + shape + " but live ran " + recorded.shape();
      mismatches.add(m);
      throw new IllegalStateException(m);
    }
    return recorded.timing();
  }

  /** Steps whose shape differed from the recording (empty when the schedules agree). */
  public List<String> mismatches() {
    return List.copyOf(mismatches);
  }

  @Override
  public String describe() {
    return "replay of " + steps.size() + " measured steps";
  }
}
