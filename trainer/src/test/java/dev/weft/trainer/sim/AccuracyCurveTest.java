package dev.weft.trainer.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.data.mnist.FashionMnist;
import dev.weft.trainer.algo.AlgorithmKind;
import dev.weft.trainer.algo.HopOptions;
import dev.weft.trainer.algo.RipplesOptions;
import dev.weft.trainer.launch.LaunchConfig;
import dev.weft.trainer.launch.Launcher;
import dev.weft.trainer.launch.RecoveryOptions;
import dev.weft.trainer.metrics.AccuracyCurve;
import dev.weft.trainer.model.ModelKind;
import dev.weft.trainer.study.ScaleReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --accuracy-every}: worker 0's accuracy curve, the compute calibration read back from a
 * run's metrics, and the scale report built from such runs.
 */
class AccuracyCurveTest {

  @TempDir Path dir;

  private static LaunchConfig config(Map<Integer, Double> slow, Path out) {
    return new LaunchConfig(
        AlgorithmKind.ALLREDUCE,
        4,
        0,
        false,
        ModelKind.MLP,
        FashionMnist.DEFAULT_DIR,
        1,
        32,
        0.1f,
        0,
        40,
        3,
        slow,
        0,
        1,
        0,
        out,
        false,
        60,
        600,
        List.of(),
        "unused",
        HopOptions.DEFAULTS,
        RipplesOptions.DEFAULTS,
        null,
        10,
        0);
  }

  private static Launcher.Result simulate(LaunchConfig c) throws Exception {
    return new SimulatedRun(
            c,
            SimulatedRunTest.fixedCompute(),
            RecoveryOptions.NONE,
            new PrintStream(new ByteArrayOutputStream()))
        .run();
  }

  @Test
  void workerZeroRecordsItsAccuracyAndTheReportComparesRuns() throws Exception {
    assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "dataset-fashion-mnist not installed");
    Path cell = dir.resolve("cells/sim-4/homogeneous/allreduce");
    Launcher.Result r = simulate(config(Map.of(), cell));
    List<AccuracyCurve.Point> curve = AccuracyCurve.read(cell.resolve(AccuracyCurve.FILE));
    assertThat(curve)
        .extracting(AccuracyCurve.Point::iteration)
        .containsExactly(10L, 20L, 30L, 40L);
    assertThat(curve.get(1).seconds()).isGreaterThan(curve.get(0).seconds());
    // All-Reduce replicas are identical: the last snapshot is the final model.
    assertThat(curve.get(3).accuracy()).isCloseTo(r.testAccuracy(), within(1e-4));

    // Each simulated iteration computes 10 ms; the rest of its period is exchange.
    ComputeProfile calibrated =
        ComputeProfile.fromMetrics(cell.resolve("metrics.csv"), Set.of(), 0);
    assertThat(calibrated.meanGradientMillis()).isCloseTo(10.0, within(0.01));

    // The same run filed as a real one: the report finds the twin and a zero error.
    Path twin = dir.resolve("cells/real-4/homogeneous/allreduce");
    Files.createDirectories(twin);
    for (String f : List.of(AccuracyCurve.FILE, "metrics.csv")) {
      Files.copy(cell.resolve(f), twin.resolve(f));
    }
    double reached = curve.get(1).accuracy();
    int cells = new ScaleReport(dir.resolve("cells"), reached).write(dir.resolve("report"), null);
    assertThat(cells).isEqualTo(2);
    String md = Files.readString(dir.resolve("report/scale.md"));
    assertThat(md).contains("| 4 | homogeneous | allreduce |").contains("+0.0%");
    assertThat(dir.resolve("report/accuracy-4-homogeneous.png")).isNotEmptyFile();
    assertThat(dir.resolve("report/time-to-target-homogeneous.png")).isNotEmptyFile();
  }
}
