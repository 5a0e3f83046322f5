package dev.weft.cli.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.StepRecord;
import dev.weft.server.ServerStep;
import dev.weft.simulator.calibration.StepSample;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cost model's view of the server's step records: busy, trailing and shape. */
class ServerStepsTest {

  /** A step starting at {@code start} ms: 1 ms schedule, 10 ms run, 1 ms apply; 0.5 ms stream. */
  static ServerStep step(long i, long startMs, int running) {
    StepRecord r =
        new StepRecord(
            i,
            startMs * 1_000_000,
            1_000_000,
            10_000_000,
            1_000_000,
            2,
            1,
            1,
            8,
            1,
            64,
            20,
            20,
            0,
            0,
            0,
            0,
            running,
            0,
            4,
            100,
            false);
    return new ServerStep(r, 2_000_000, 500_000, 28, 3, 2);
  }

  @Test
  void trailingRunsToTheNextStepOnlyWhenTheLoopWentStraightOn() {
    List<StepSample> s =
        ServerSteps.samples(
            "p", List.of(step(0, 0, 2), step(1, 13, 0), step(2, 500, 1), step(3, 520, 0)));
    assertThat(s).extracting(StepSample::busyNanos).containsOnly(11_000_000L);
    // went on: 13 ms later, 11 busy -> 2 ms trailing; left the loop idle: apply + stream only
    assertThat(s.get(0).trailingNanos()).isEqualTo(2_000_000L);
    assertThat(s.get(1).trailingNanos()).isEqualTo(1_500_000L);
    assertThat(s.get(2).trailingNanos()).isEqualTo(9_000_000L);
    assertThat(s.get(3).trailingNanos()).isEqualTo(1_500_000L);
    assertThat(s.get(0).shape().attentionGroups()).isEqualTo(2);
    assertThat(s.get(0).shape().prefillTokens()).isEqualTo(8);
    assertThat(s.get(0).point()).isEqualTo("p");
  }
}
