package dev.weft.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.simulator.calibration.Calibration;
import dev.weft.simulator.calibration.MachineInfo;
import dev.weft.simulator.calibration.StepSample;
import dev.weft.simulator.cost.FittedCostModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FittedCostModelTest {

  static final MachineInfo MACHINE = new MachineInfo("test cpu", 2, "Linux", "amd64", "17");

  /** Steps drawn from a known law with 2% seeded noise, as a profile sweep would give. */
  static Calibration synthetic(int blockSize) {
    SplittableRandom random = new SplittableRandom(11);
    List<StepSample> steps = new ArrayList<>();
    int point = 0;
    for (int batch : new int[] {1, 2, 4, 8, 16}) {
      for (int context : new int[] {64, 256, 1024}) {
        String name = "decode b=" + batch + " ctx=" + context;
        for (int rep = 0; rep < 4; rep++) {
          StepShape s = new StepShape(0, 0, batch, 0, (long) batch * context, batch, 0, 1);
          steps.add(new StepSample(name, s, law(s, random), 50_000 + 2_000L * batch));
        }
        point++;
      }
    }
    for (int chunk : new int[] {16, 64, 128, 256, 512}) {
      String name = "prefill chunk=" + chunk;
      for (int rep = 0; rep < 4; rep++) {
        StepShape s = new StepShape(1, chunk, 0, (long) chunk * chunk, 0, 1, 0, 1);
        steps.add(new StepSample(name, s, law(s, random), 52_000));
      }
    }
    return new Calibration(
        Calibration.VERSION,
        SimulatorTest.SHAPE,
        blockSize,
        MACHINE,
        "test",
        "2024-01-01T00:00:00Z",
        steps);
  }

  static long law(StepShape s, SplittableRandom random) {
    double t =
        1_500_000
            + 40_000.0 * s.tokens()
            + 90_000.0 * s.samples()
            + 3.0 * s.prefillAttentionWork()
            + 60.0 * s.decodeContextTokens();
    return Math.round(t * (1 + 0.02 * (random.nextDouble() * 2 - 1)));
  }

  @Test
  void choosesAFormThatFitsAndReportsHeldOutError() {
    FittedCostModel model = FittedCostModel.fit(synthetic(16));
    assertThat(model.report().form()).contains("attention");
    assertThat(model.report().heldOutPoints()).isEqualTo(5);
    assertThat(model.report().heldOutMeanErrorPercent()).isLessThan(3);
    StepShape decode = new StepShape(0, 0, 8, 0, 8 * 512, 8, 0, 1);
    double truth = 1_500_000 + 40_000.0 * 8 + 90_000.0 * 8 + 60.0 * 8 * 512;
    assertThat((double) model.predict(0, decode).busyNanos())
        .isCloseTo(truth, org.assertj.core.data.Percentage.withPercentage(3));
    assertThat(model.predict(0, decode).trailingNanos())
        .isCloseTo(66_000, org.assertj.core.data.Offset.offset(3_000L));
  }
}
