package dev.weft.trainer.study;

import dev.weft.data.mnist.FashionMnist;
import dev.weft.data.mnist.ImageDataset;
import dev.weft.trainer.launch.LaunchConfig;
import dev.weft.trainer.launch.Launcher;
import dev.weft.trainer.launch.RecoveryOptions;
import dev.weft.trainer.metrics.IterationRecord;
import dev.weft.trainer.metrics.MetricsCsv;
import dev.weft.trainer.metrics.ParameterProbe;
import dev.weft.trainer.model.ClassifierModel;
import dev.weft.trainer.model.ModelKind;
import dev.weft.trainer.sim.SimulatedRun;
import dev.weft.trainer.sim.SimulationOptions;
import dev.weft.trainer.worker.ParameterSnapshots;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The heterogeneity reproduction study: every variant (All-Reduce, PS, AD-PSGD, Hop with and
 * without backup workers and skipping, Ripples) on every scale (real worker JVMs, simulated
 * clusters) in every setting (homogeneous, one worker 2x or 5x slower). Each run is a cell under
 * {@code out/cells/SCALE/SETTING/VARIANT} holding its metrics and a one-line {@code cell.csv};
 * cells already there are kept, so the study can be run in pieces, and the report ({@link
 * StudyReport}) is rebuilt from all cells found.
 */
public final class Study {

  /** Runs one configuration: worker JVMs or a simulation. */
  public interface Backend {
    /** The scale's name, e.g. {@code real-4} or {@code sim-16}. */
    String scale();

    int workers();

    /** Iterations each worker runs (the budget within which the target should be reached). */
    long iterationsPerWorker();

    /** How often (seconds of training time) the worker-average model's accuracy is measured. */
    double evalPeriodSeconds();

    /** Runs {@code config}, showing {@code probe} the workers' parameters over time. */
    Launcher.Result run(LaunchConfig config, ParameterProbe probe) throws Exception;
  }

  /** How a backend runs one cell. */
  @FunctionalInterface
  private interface CellRunner {
    Launcher.Result run(LaunchConfig config, ParameterProbe probe) throws Exception;
  }

  /** A backend of fixed scale, size and budget; {@code runner} does the run. */
  private record FixedBackend(
      String scale,
      int workers,
      long iterationsPerWorker,
      double evalPeriodSeconds,
      CellRunner runner)
      implements Backend {
    @Override
    public Launcher.Result run(LaunchConfig config, ParameterProbe probe) throws Exception {
      return runner.run(config, probe);
    }
  }

  /**
   * {@code workers} worker JVMs on this machine. They keep parameter snapshots while training (a
   * file write every {@code evalPeriodSeconds}); the accuracy is evaluated from them after the run,
   * so evaluation costs the timed run nothing.
   */
  public static Backend real(String scale, int workers, long iterations, double evalPeriodSeconds) {
    return new FixedBackend(
        scale,
        workers,
        iterations,
        evalPeriodSeconds,
        (config, probe) -> {
          Launcher.Result r =
              new Launcher(config, RecoveryOptions.snapshots(probe.periodSeconds()), System.err)
                  .run();
          ParameterSnapshots.replay(config.outDir(), config.workers(), probe);
          ParameterSnapshots.delete(config.outDir());
          return r;
        });
  }

  /**
   * {@code workers} simulated workers; the probe sees their parameters at exact virtual times and
   * costs no virtual time.
   */
  public static Backend simulated(
      String scale, int workers, long iterations, double evalPeriodSeconds, SimulationOptions sim) {
    return new FixedBackend(
        scale,
        workers,
        iterations,
        evalPeriodSeconds,
        (config, probe) ->
            new SimulatedRun(config, sim, RecoveryOptions.NONE, System.err, probe).run());
  }

  /**
   * @param settings slowdown factors of the last worker; 1 is the homogeneous setting
   * @param targetAccuracy the held-out accuracy of the worker-average model that counts as trained
   * @param evalImages the first this many Fashion-MNIST test images are the held-out subset
   */
  public record Options(
      Path out,
      Path dataset,
      ModelKind model,
      int batch,
      float lr,
      long seed,
      List<Double> settings,
      List<StudyVariant> variants,
      double targetAccuracy,
      int evalImages,
      long timeoutSeconds,
      String workerHeap) {

    public Options {
      if (settings.isEmpty() || variants.isEmpty()) {
        throw new IllegalArgumentException("the study needs at least one setting and variant");
      }
      for (double s : settings) {
        if (!(s >= 1)) {
          throw new IllegalArgumentException("slowdown factor " + s + " must be >= 1");
        }
      }
      if (!(targetAccuracy > 0 && targetAccuracy <= 1)) {
        throw new IllegalArgumentException("--target-accuracy must be in (0, 1]");
      }
      if (evalImages < 1 || evalImages > 10_000) {
        throw new IllegalArgumentException("--eval-images must be 1..10000");
      }
      settings = List.copyOf(settings);
      variants = List.copyOf(variants);
    }
  }

  private final Options options;
  private final PrintStream progress;

  public Study(Options options, PrintStream progress) {
    this.options = options;
    this.progress = progress;
  }

  static String settingName(double factor) {
    if (factor == 1) {
      return "homogeneous";
    }
    return factor == Math.rint(factor)
        ? String.format(Locale.ROOT, "%dx", (long) factor)
        : String.format(Locale.ROOT, "%sx", factor);
  }

  static int window(int workers) {
    return Math.max(20, 4 * workers);
  }

  /** Runs every missing cell of {@code backend}, then rewrites the report. */
  public void run(Backend backend) throws Exception {
    ImageDataset test = FashionMnist.test(options.dataset());
    ImageDataset heldOut = test.slice(0, Math.min(options.evalImages(), test.size()));
    try (ClassifierModel eval =
        new ClassifierModel(
            options.model(), test.rows(), test.cols(), test.classes(), options.seed())) {
      ToDoubleFunction<float[]> accuracy =
          p -> eval.accuracy(p, heldOut.pixels(), heldOut.labels());
      runCells(backend, accuracy);
    }
    StudyReport.write(options.out(), options.targetAccuracy(), options.evalImages());
  }

  private void runCells(Backend backend, ToDoubleFunction<float[]> accuracy) throws Exception {
    for (double factor : options.settings()) {
      for (StudyVariant v : options.variants()) {
        Path dir =
            options
                .out()
                .resolve("cells")
                .resolve(backend.scale())
                .resolve(settingName(factor))
                .resolve(v.name());
        if (Files.exists(dir.resolve("cell.csv"))) {
          progress.printf("%s %s %s: kept%n", backend.scale(), settingName(factor), v.name());
          continue;
        }
        progress.printf("%s %s %s: running%n", backend.scale(), settingName(factor), v.name());
        StudyCell cell = runCell(backend, factor, v, dir, accuracy);
        Files.writeString(
            dir.resolve("cell.csv"),
            StudyCell.CSV_HEADER + "\n" + cell.toCsv() + "\n",
            StandardCharsets.UTF_8);
        progress.printf(
            Locale.ROOT,
            "  wall %.1f s, time to accuracy %.2f: %.1f s (best %.4f), final accuracy %.4f%n",
            cell.wallSeconds(),
            options.targetAccuracy(),
            cell.timeToTarget(),
            cell.bestAccuracy(),
            cell.accuracy());
      }
    }
  }

  private StudyCell runCell(
      Backend backend, double factor, StudyVariant v, Path dir, ToDoubleFunction<float[]> accuracy)
      throws Exception {
    int w = backend.workers();
    long iterations = backend.iterationsPerWorker();
    int perEpoch = 60_000 / w / options.batch();
    int epochs = (int) Math.max(1, (iterations + perEpoch - 1) / perEpoch);
    Map<Integer, Double> slow = factor == 1 ? Map.of() : Map.of(w - 1, factor);
    LaunchConfig c =
        new LaunchConfig(
            v.algo(),
            w,
            v.servers(),
            false,
            options.model(),
            options.dataset(),
            epochs,
            options.batch(),
            options.lr(),
            0,
            iterations,
            options.seed(),
            slow,
            0,
            1,
            0,
            dir,
            false,
            options.timeoutSeconds(),
            3 * options.timeoutSeconds(),
            List.of("-Xmx" + options.workerHeap()),
            System.getProperty("java.class.path"),
            v.hop(),
            v.ripples(),
            null,
            0,
            0);
    AccuracyCurve probe =
        new AccuracyCurve(backend.evalPeriodSeconds(), accuracy, options.targetAccuracy());
    Launcher.Result r = backend.run(c, probe);
    progress.printf(
        Locale.ROOT,
        "  %d accuracy evaluations took %.1f s%n",
        probe.points().size(),
        probe.evaluationSeconds());
    List<AccuracyCurve.Point> points = probe.points();
    AccuracyCurve.write(points, dir.resolve("accuracy.csv"));
    List<IterationRecord> records = new ArrayList<>(MetricsCsv.read(dir.resolve("metrics.csv")));
    records.sort(Comparator.comparingDouble(IterationRecord::wallSeconds));
    int window = window(w);
    List<IterationRecord> curve = StudyCell.runningMean(records, window);
    writeCurve(curve, dir.resolve("curve.csv"));
    return new StudyCell(
        backend.scale(),
        settingName(factor),
        v.name(),
        // Training time from the agreed start (JVM start-up excluded), as the curve measures it.
        records.isEmpty() ? r.seconds() : records.get(records.size() - 1).wallSeconds(),
        AccuracyCurve.timeToTarget(points, options.targetAccuracy()),
        points.stream().mapToDouble(AccuracyCurve.Point::accuracy).max().orElse(Double.NaN),
        curve.isEmpty() ? Double.NaN : curve.get(curve.size() - 1).loss(),
        r.testAccuracy(),
        r.iterations());
  }

  /** At most 300 points of the cluster's loss curve, for the charts. */
  private static void writeCurve(List<IterationRecord> curve, Path file) throws IOException {
    StringBuilder b = new StringBuilder("wall_seconds,loss\n");
    int step = Math.max(1, curve.size() / 300);
    for (int i = 0; i < curve.size(); i += step) {
      b.append(
          String.format(
              Locale.ROOT, "%.4f,%.5f%n", curve.get(i).wallSeconds(), curve.get(i).loss()));
    }
    Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
  }
}
