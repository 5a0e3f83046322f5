package dev.weft.cli.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.cli.CliRun;
import dev.weft.data.mnist.FashionMnist;
import dev.weft.trainer.metrics.AccuracyCurve;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale study's flags as a user runs them: {@code --accuracy-every}, a simulation calibrated
 * with {@code --sim-compute-from} another run's metrics, and {@code train scale-report}.
 */
class TrainScaleFlagsTest {

  @TempDir Path tmp;

  private static String[] simulate(Path out, String... extra) {
    String[] base = {
      "train",
      "--simulate",
      "--algo",
      "allreduce",
      "--workers",
      "4",
      "--max-iterations",
      "20",
      "--accuracy-every",
      "10",
      "--checkpoint-every",
      "0",
      "--out",
      out.toString()
    };
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }

  @Test
  void aCalibratedSimulationAndTheReport() throws Exception {
    assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "dataset-fashion-mnist not installed");
    Path first = tmp.resolve("cells/real-4/homogeneous/allreduce");
    CliRun a = CliRun.of(simulate(first, "--sim-compute-ms", "7"));
    assertThat(a.code()).as(a.err()).isZero();
    assertThat(first.resolve("accuracy.csv")).isNotEmptyFile();

    Path second = tmp.resolve("cells/sim-4/homogeneous/allreduce");
    CliRun b =
        CliRun.of(simulate(second, "--sim-compute-from", first.resolve("metrics.csv").toString()));
    assertThat(b.code()).as(b.err()).isZero();
    // Every calibration sample is the first run's 7 ms of compute.
    assertThat(b.err()).contains("compute 7.00 ms per iteration");
    List<AccuracyCurve.Point> calibrated = AccuracyCurve.read(second.resolve("accuracy.csv"));
    List<AccuracyCurve.Point> original = AccuracyCurve.read(first.resolve("accuracy.csv"));
    assertThat(calibrated)
        .extracting(AccuracyCurve.Point::accuracy)
        .isEqualTo(original.stream().map(AccuracyCurve.Point::accuracy).toList());
    for (int i = 0; i < original.size(); i++) {
      // Samples were read back from metrics written in microseconds.
      assertThat(calibrated.get(i).seconds()).isCloseTo(original.get(i).seconds(), within(1e-4));
    }

    CliRun r =
        CliRun.of(
            "train",
            "scale-report",
            "--cells",
            tmp.resolve("cells").toString(),
            "--target",
            "0.3",
            "--out",
            tmp.resolve("report").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("2 cells");
    assertThat(Files.readString(tmp.resolve("report/scale.md"))).contains("+0.0%");
  }

  @Test
  void badCalibrationInputIsNamed() {
    CliRun both =
        CliRun.of(
            simulate(tmp.resolve("x"), "--sim-compute-ms", "5", "--sim-compute-from", "m.csv"));
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("--sim-compute-ms or --sim-compute-from, not both");
    CliRun missing =
        CliRun.of(
            simulate(tmp.resolve("y"), "--sim-compute-from", tmp.resolve("none.csv").toString()));
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("none.csv");
  }
}
