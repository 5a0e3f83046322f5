package dev.weft.cli.train;

import dev.weft.trainer.model.ModelKind;
import dev.weft.trainer.sim.ComputeProfile;
import dev.weft.trainer.sim.NetworkModel;
import dev.weft.trainer.sim.SimulationOptions;
import dev.weft.trainer.study.Study;
import dev.weft.trainer.study.StudyVariant;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weft train study}: the heterogeneity reproduction study (All-Reduce, PS, AD-PSGD, Hop,
 * Ripples; homogeneous and one slow worker) on real worker JVMs and simulated clusters.
 */
@Command(
    name = "study",
    mixinStandardHelpOptions = true,
    description = {
      "Time to target accuracy (of the worker-average model on a held-out test subset) and loss",
      "and accuracy vs time of every algorithm, homogeneous and with one slow worker, on real",
      "worker JVMs (scale real-N) and simulated clusters (sim-N). Cells already in --out are",
      "kept, so the study can run in pieces; the report (study.md, study.csv, loss-*.png,",
      "accuracy-*.png) is rebuilt from every cell found."
    })
public final class TrainStudyCommand implements Callable<Integer> {

  @Option(names = "--out", required = true, description = "study directory (cells and report)")
  Path out;

  @Option(
      names = "--scales",
      split = ",",
      defaultValue = "real-4",
      description =
          "real-N (N worker JVMs) and/or sim-N (N simulated workers) (default ${DEFAULT-VALUE})")
  List<String> scales;

  @Option(
      names = "--settings",
      split = ",",
      defaultValue = "1,2,5",
      description =
          "slowdown of the last worker per setting; 1 = homogeneous (default ${DEFAULT-VALUE})")
  List<Double> settings;

  @Option(
      names = "--variants",
      split = ",",
      description =
          "subset of allreduce, ps, adpsgd, hop, hop-plain, ripples, ripples-static (default: all)")
  List<String> variants;

  @Option(
      names = "--iterations",
      paramLabel = "SCALE=N",
      description = "iterations per worker at a scale (default real-4=400, sim-16=160, sim-64=60)")
  List<String> iterations = new ArrayList<>();

  @Option(
      names = "--model",
      defaultValue = "cnn",
      description = "mlp or cnn (default ${DEFAULT-VALUE})")
  String model;

  @Option(names = "--dataset", defaultValue = "fashion-mnist", description = "as for train")
  String dataset;

  @Option(
      names = "--batch",
      defaultValue = "32",
      description = "per-worker batch (default ${DEFAULT-VALUE})")
  int batch;

  @Option(
      names = "--lr",
      defaultValue = "0.05",
      description = "learning rate (default ${DEFAULT-VALUE})")
  float lr;

  @Option(names = "--seed", defaultValue = "1", description = "seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--target-accuracy",
      defaultValue = "0.8",
      description =
          "held-out accuracy of the worker-average model that counts as trained"
              + " (default ${DEFAULT-VALUE})")
  double targetAccuracy;

  @Option(
      names = "--eval-images",
      defaultValue = "2000",
      description =
          "the held-out subset: the first N Fashion-MNIST test images (default ${DEFAULT-VALUE})")
  int evalImages;

  @Option(
      names = "--eval-every",
      paramLabel = "SCALE=SECONDS",
      description =
          "how often the accuracy is measured, seconds of training (virtual when simulated)"
              + " (default real-N=0.25, sim-N=0.05)")
  List<String> evalEvery = new ArrayList<>();

  @Option(names = "--timeout", defaultValue = "120", description = "longest single wait, s")
  long timeout;

  static final Map<String, Long> DEFAULT_ITERATIONS =
      Map.of("real-4", 400L, "sim-16", 160L, "sim-64", 60L);

  @Override
  public Integer call() throws Exception {
    List<StudyVariant> chosen = new ArrayList<>();
    for (StudyVariant v : StudyVariant.defaults()) {
      if (variants == null || variants.contains(v.name())) {
        chosen.add(v);
      }
    }
    if (variants != null && chosen.size() != variants.size()) {
      throw new IllegalArgumentException(
          "--variants "
              + variants
              + ": choose among allreduce, ps, adpsgd, hop, hop-plain, ripples, ripples-static");
    }
    Map<String, Long> budget = new LinkedHashMap<>(DEFAULT_ITERATIONS);
    for (String s : iterations) {
      String[] kv = s.split("=");
      try {
        budget.put(kv[0], Long.parseLong(kv[1]));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "--iterations '" + s + "' is not SCALE=N (e.g. sim-16=200)");
      }
    }
    Study study =
        new Study(
            new Study.Options(
                out,
                TrainCommand.dataset(dataset),
                ModelKind.parse(model),
                batch,
                lr,
                seed,
                settings,
                chosen,
                targetAccuracy,
                evalImages,
                timeout,
                "768m"),
            System.err);
    Map<String, Double> evalPeriods = new LinkedHashMap<>();
    for (String s : evalEvery) {
      String[] kv = s.split("=");
      try {
        evalPeriods.put(kv[0], Double.parseDouble(kv[1]));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "--eval-every '" + s + "' is not SCALE=SECONDS (e.g. sim-16=0.1)");
      }
    }
    for (String scale : scales) {
      study.run(backend(scale, budget, evalPeriods));
    }
    System.out.println("study report: " + out.resolve("study.md"));
    return 0;
  }

  /** Simulated network: 50 us one-way latency, 1.25 GB/s per NIC (10 GbE). */
  static final long SIM_LATENCY_NANOS = 50_000;

  static final double SIM_BYTES_PER_SECOND = 1.25e9;

  @Option(
      names = "--sim-compute-ms",
      defaultValue = "20",
      description = "simulated compute per iteration, ms (default ${DEFAULT-VALUE})")
  double simComputeMs;

  private Study.Backend backend(
      String scale, Map<String, Long> budget, Map<String, Double> evalPeriods) {
    String[] parts = scale.split("-");
    int n;
    try {
      n = Integer.parseInt(parts[1]);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--scales '" + scale + "' is not real-N or sim-N");
    }
    long iters = budget.getOrDefault(scale, 100L);
    if (parts[0].equals("real")) {
      return Study.real(scale, n, iters, evalPeriods.getOrDefault(scale, 0.25));
    }
    if (parts[0].equals("sim")) {
      // Compute is a fixed time per iteration (the CNN's, measured on this machine's worker JVMs)
      // so simulated timings do not depend on what else the shared machine runs meanwhile.
      SimulationOptions sim =
          new SimulationOptions(
              new NetworkModel(SIM_LATENCY_NANOS, SIM_BYTES_PER_SECOND, 64, Map.of()),
              ComputeProfile.fixed(Duration.ofNanos((long) (simComputeMs * 1e6)), Duration.ZERO),
              0,
              1);
      return Study.simulated(scale, n, iters, evalPeriods.getOrDefault(scale, 0.05), sim);
    }
    throw new IllegalArgumentException("--scales '" + scale + "': choose real-N or sim-N");
  }
}
