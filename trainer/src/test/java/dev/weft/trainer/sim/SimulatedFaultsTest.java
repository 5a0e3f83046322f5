package dev.weft.trainer.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.data.mnist.FashionMnist;
import dev.weft.trainer.algo.AlgorithmKind;
import dev.weft.trainer.comm.TrainingException;
import dev.weft.trainer.launch.LaunchConfig;
import dev.weft.trainer.launch.Launcher;
import dev.weft.trainer.launch.RecoveryOptions;
import dev.weft.trainer.metrics.IterationRecord;
import dev.weft.trainer.metrics.MetricsCsv;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker killed mid-run, in simulation: who carries on, who stops, and resuming. */
class SimulatedFaultsTest {

  @TempDir Path dir;
  private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

  @BeforeAll
  static void dataset() {
    assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "dataset-fashion-mnist not installed");
  }

  private Launcher.Result run(LaunchConfig c, RecoveryOptions r) throws Exception {
    return new SimulatedRun(c, SimulatedRunTest.fixedCompute(), r, new PrintStream(progress, true))
        .run();
  }

  @Test
  void adPsgdFinishesWithoutTheKilledWorker() throws Exception {
    LaunchConfig c = SimulatedRunTest.config(AlgorithmKind.ADPSGD, 6, 30, Map.of(), dir);
    Launcher.Result r = run(c, new RecoveryOptions(Map.of(3, 8L), 0, null));
    assertThat(progress.toString(StandardCharsets.UTF_8))
        .contains("worker 3 died at iteration 8; adpsgd carried on without it");
    List<IterationRecord> rows = MetricsCsv.read(dir.resolve("metrics.csv"));
    assertThat(rows).filteredOn(x -> x.rank() == 3).hasSize(8);
    assertThat(rows).filteredOn(x -> x.rank() == 5).hasSize(30);
    assertThat(r.testAccuracy()).isGreaterThan(0.5);
  }

  @Test
  void allReduceStopsNamingTheWorkerAndResumesToTheSameModel() throws Exception {
    Path first = dir.resolve("first");
    LaunchConfig killed = SimulatedRunTest.config(AlgorithmKind.ALLREDUCE, 4, 30, Map.of(), first);
    assertThatThrownBy(() -> run(killed, new RecoveryOptions(Map.of(2, 17L), 5, null)))
        .isInstanceOf(TrainingException.class)
        .hasMessageContaining("worker 2 died at iteration 17; the run stopped")
        .hasMessageContaining(
            "last checkpoint: " + first.resolve("checkpoint") + " at iteration 15")
        .hasMessageContaining("--resume " + first);

    Launcher.Result resumed =
        run(
            SimulatedRunTest.config(AlgorithmKind.ALLREDUCE, 4, 30, Map.of(), dir.resolve("next")),
            new RecoveryOptions(Map.of(), 5, first));
    Launcher.Result whole =
        run(
            SimulatedRunTest.config(AlgorithmKind.ALLREDUCE, 4, 30, Map.of(), dir.resolve("whole")),
            RecoveryOptions.NONE);
    // Same data order, same parameters at the checkpoint: the resumed run ends where the
    // uninterrupted one does.
    assertThat(resumed.testAccuracy()).isEqualTo(whole.testAccuracy());
    assertThat(MetricsCsv.read(dir.resolve("next/metrics.csv")))
        .extracting(IterationRecord::iteration)
        .allMatch(i -> i >= 15);
  }
}
