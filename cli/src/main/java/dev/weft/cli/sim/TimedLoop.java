package dev.weft.cli.sim;

import dev.weft.scheduler.ServingConfig;
import dev.weft.scheduler.ServingLoop;
import dev.weft.scheduler.StepRecord;
import dev.weft.scheduler.StepResult;
import dev.weft.simulator.StepShape;
import dev.weft.simulator.StepTiming;
import dev.weft.simulator.cost.ReplayCostModel.RecordedStep;
import java.util.ArrayList;
import java.util.List;

/**
 * A live serving loop on the system clock that keeps every step's shape and timing: busy = schedule
 * + forward (step start to tokens), trailing = the rest until the next step starts. Used where the
 * loop runs without a server (the shared-scheduler check); the profile sweep reads the server's own
 * step records instead.
 */
final class TimedLoop {

  final ServingLoop loop;
  private final List<StepShape> shapes = new ArrayList<>();
  private final List<StepRecord> records = new ArrayList<>();

  TimedLoop(ServingConfig config, dev.weft.scheduler.Runner runner) {
    this.loop = new ServingLoop(config, System::nanoTime, runner);
  }

  /** One step; its shape and record are kept when it ran a plan. */
  StepResult step() {
    StepResult result = loop.step();
    if (result.plan().isPresent()) {
      shapes.add(StepShape.of(result.plan().get()));
      records.add(result.record().orElseThrow());
    }
    return result;
  }

  List<StepRecord> records() {
    return List.copyOf(records);
  }

  /**
   * The recorded steps with their timings; the last step's trailing time is its apply time (no step
   * followed it).
   */
  List<RecordedStep> recorded() {
    List<RecordedStep> out = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      StepRecord r = records.get(i);
      long busy = r.scheduleNanos() + r.runNanos();
      long end = r.startNanos() + busy;
      long trailing =
          i + 1 < records.size() ? records.get(i + 1).startNanos() - end : r.applyNanos();
      out.add(new RecordedStep(shapes.get(i), new StepTiming(busy, Math.max(0, trailing))));
    }
    return out;
  }
}
