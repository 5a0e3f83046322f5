package dev.weft.simulator;

import dev.weft.scheduler.Runner;
import dev.weft.scheduler.RunnerResult;
import dev.weft.scheduler.ScheduledSequence;
import dev.weft.scheduler.StepPlan;
import dev.weft.scheduler.testing.FakeClock;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's {@link Runner}: computes nothing, only advances the virtual clock by the cost
 * model's prediction (plus the plan's modelled swap time) and answers every sampling sequence with
 * token {@value #TOKEN}. Simulated requests carry no stop tokens, so each ends at its max tokens,
 * exactly like a live request sent with {@code ignore_eos}.
 */
public final class CostModelRunner implements Runner {

  /** The token every simulated sample returns. */
  public static final int TOKEN = 1;

  private final FakeClock clock;
  private final CostModel model;
  private long pendingTrailing;
  private long busyNanos;

  public CostModelRunner(FakeClock clock, CostModel model) {
    this.clock = clock;
    this.model = model;
  }

  @Override
  public RunnerResult execute(StepPlan plan) {
    StepTiming timing = model.predict(plan.step(), StepShape.of(plan));
    long busy = timing.busyNanos() + plan.modelledSwapNanos();
    clock.advance(busy);
    busyNanos += busy;
    pendingTrailing += timing.trailingNanos();
    List<RunnerResult.Sample> samples = new ArrayList<>();
    for (ScheduledSequence s : plan.sequences()) {
      if (s.sample()) {
        samples.add(new RunnerResult.Sample(s.requestId(), TOKEN, false));
      }
    }
    return new RunnerResult(samples);
  }

  /**
   * The trailing time of the steps run since the last call; the driver advances the clock by it.
   */
  long takeTrailingNanos() {
    long t = pendingTrailing;
    pendingTrailing = 0;
    return t;
  }

  /** Virtual time spent inside steps so far. */
  public long busyNanos() {
    return busyNanos;
  }
}
