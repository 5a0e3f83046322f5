package dev.weft.cli.train;

import dev.weft.trainer.study.ScaleReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft train scale-report}: the scale study's tables and charts from its run cells. */
@Command(
    name = "scale-report",
    mixinStandardHelpOptions = true,
    description = {
      "Time to a target test accuracy of every run under --cells (SCALE/SETTING/ALGO, each run's",
      "--out made with --accuracy-every), simulated against real where both exist: scale.md,",
      "scale.csv, accuracy-*.png, time-to-target-*.png (benchmarks/results/trainer/scale/scale.sh)."
    })
public final class TrainScaleReportCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--cells", required = true, description = "the runs: CELLS/SCALE/SETTING/ALGO")
  Path cells;

  @Option(names = "--fit", description = "the latency calibration CSV written by scale.sh fit")
  Path fit;

  @Option(
      names = "--target",
      defaultValue = "0.85",
      description = "test accuracy that counts as trained (default ${DEFAULT-VALUE})")
  double target;

  @Option(names = "--out", required = true, description = "directory for the report")
  Path out;

  @Override
  public Integer call() throws Exception {
    int n = new ScaleReport(cells, target).write(out, fit);
    spec.commandLine().getOut().printf("%d cells; report in %s%n", n, out.resolve("scale.md"));
    return 0;
  }
}
