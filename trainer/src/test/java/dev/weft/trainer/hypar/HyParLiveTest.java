package dev.weft.trainer.hypar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live check over real worker JVMs and the trainer's gRPC transport: HyPar's plan for the
 * trainer's MLP on 2 and 4 workers. Gradients must equal single-worker training; payload bytes are
 * set beside the model's prediction (exact on 2 workers; on 4 the paper's per-level model
 * undercounts a replicated gather, see benchmarks/results/hypar/README.md) and the wire bytes.
 */
class HyParLiveTest {

  @TempDir Path dir;

  @Test
  void hyparPlanOnTwoAndFourWorkerJvmsMatchesSingleWorkerTraining() throws Exception {
    Network net = NetworkFile.load("mlp");
    String cp = System.getProperty("java.class.path");
    for (int depth = 1; depth <= 2; depth++) {
      Plan plan = HyPar.plan(net, depth);
      LiveCheck.Result live = LiveCheck.jvms(net, plan, 3, dir.resolve("d" + depth), cp);
      LiveCheck.Result local = LiveCheck.inProcess(net, plan, 3);
      System.out.println(live);
      assertThat(live.maxGradError()).isLessThanOrEqualTo(1e-5);
      // The same algorithm sends the same tensors whatever carries them.
      assertThat(live.payloadBytes()).isEqualTo(local.payloadBytes());
      assertThat(live.wireBytes()).isGreaterThan(live.payloadBytes() * live.steps());
      if (depth == 1) {
        assertThat(live.ratio()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.05));
      }
    }
  }
}
