package dev.weft.cli.sim;

import dev.weft.scheduler.StepRecord;
import dev.weft.server.ServerStep;
import dev.weft.simulator.StepShape;
import dev.weft.simulator.calibration.StepSample;
import java.util.ArrayList;
import java.util.List;

/** The server's step records as the cost model sees them: shape, busy time and trailing time. */
final class ServerSteps {

  private ServerSteps() {}

  /**
   * Busy = schedule + run (step start to tokens, what the simulator stamps tokens with). Trailing =
   * the rest until the next step started, when the step left work so that the loop went straight
   * on; after a step that left the loop idle, only its apply and stream time (the wait for new work
   * is the workload's, not the step's).
   */
  static List<StepSample> samples(String point, List<ServerStep> steps) {
    List<StepSample> out = new ArrayList<>(steps.size());
    for (int i = 0; i < steps.size(); i++) {
      StepRecord r = steps.get(i).record();
      long busy = r.scheduleNanos() + r.runNanos();
      long own = r.applyNanos() + steps.get(i).streamNanos();
      long trailing = own;
      boolean wentOn = r.numRunning() + r.numWaiting() > 0;
      if (wentOn && i + 1 < steps.size()) {
        trailing = Math.max(own, steps.get(i + 1).record().startNanos() - r.startNanos() - busy);
      }
      out.add(
          new StepSample(point, StepShape.of(r, steps.get(i).attentionGroups()), busy, trailing));
    }
    return out;
  }
}
