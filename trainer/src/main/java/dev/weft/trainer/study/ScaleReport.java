package dev.weft.trainer.study;

import dev.weft.trainer.metrics.AccuracyCurve;
import dev.weft.trainer.metrics.IterationRecord;
import dev.weft.trainer.metrics.MetricsCsv;
import dev.weft.trainer.metrics.PointChart;
import dev.weft.trainer.sim.ComputeProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The scale study's report: time to a target test accuracy for every cell {@code
 * CELLS/SCALE/SETTING/ALGO} (a run's output directory with {@code accuracy.csv}, {@code
 * metrics.csv}), where SCALE is {@code real-N} (worker JVMs) or {@code sim-N} and SETTING is {@code
 * homogeneous} or {@code 5x} (the last worker slowed). Writes {@code scale.csv}, {@code scale.md}
 * (every cell, then each simulated cell against its real twin with the error), accuracy-vs-time
 * charts and time-vs-workers charts, and copies each cell's {@code accuracy.csv}.
 */
public final class ScaleReport {

  /** One cell's outcome. */
  record Cell(
      String scale,
      String setting,
      String algo,
      int workers,
      boolean simulated,
      List<AccuracyCurve.Point> curve,
      OptionalDouble timeToTarget,
      long iterationAtTarget,
      double meanComputeMs,
      double meanExchangeMs) {}

  private final Path cells;
  private final double target;

  public ScaleReport(Path cells, double target) {
    if (!(target > 0 && target <= 1)) {
      throw new IllegalArgumentException("target accuracy must be in (0, 1], got " + target);
    }
    this.cells = cells;
    this.target = target;
  }

  /** Reads every cell under the cells directory (those without an accuracy curve are skipped). */
  List<Cell> read() throws IOException {
    if (!Files.isDirectory(cells)) {
      throw new IllegalArgumentException("no cells directory " + cells);
    }
    List<Cell> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(cells, 4)) {
      for (Path acc : files.filter(p -> p.endsWith(AccuracyCurve.FILE)).sorted().toList()) {
        Path dir = acc.getParent();
        Path rel = cells.relativize(dir);
        if (rel.getNameCount() != 3) {
          continue;
        }
        String scale = rel.getName(0).toString();
        String setting = rel.getName(1).toString();
        String algo = rel.getName(2).toString();
        int workers = Integer.parseInt(scale.substring(scale.indexOf('-') + 1));
        List<AccuracyCurve.Point> curve = AccuracyCurve.read(acc);
        OptionalDouble t = AccuracyCurve.timeTo(curve, target);
        long at =
            curve.stream()
                .filter(p -> p.accuracy() >= target)
                .mapToLong(AccuracyCurve.Point::iteration)
                .findFirst()
                .orElse(-1);
        Set<Integer> slowed = setting.equals("homogeneous") ? Set.of() : Set.of(workers - 1);
        Path metrics = dir.resolve("metrics.csv");
        double exchange =
            MetricsCsv.read(metrics).stream()
                .filter(r -> r.iteration() > 0 && !slowed.contains(r.rank()))
                .mapToDouble(IterationRecord::waitSeconds)
                .average()
                .orElse(Double.NaN);
        out.add(
            new Cell(
                scale,
                setting,
                algo,
                workers,
                scale.startsWith("sim"),
                curve,
                t,
                at,
                ComputeProfile.fromMetrics(metrics, slowed, 0).meanGradientMillis(),
                exchange * 1e3));
      }
    }
    return out;
  }

  /** Writes the report into {@code out}; returns how many cells it covered. */
  public int write(Path out, Path fitCsv) throws IOException {
    List<Cell> all = read();
    Files.createDirectories(out.resolve("curves"));
    StringBuilder csv =
        new StringBuilder(
            "scale,setting,algo,workers,time_to_target_s,iteration_at_target,final_accuracy,"
                + "iterations_run,mean_compute_ms,mean_exchange_ms\n");
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "Time to %.0f%% test accuracy (worker 0's model, evaluated every %s iterations after"
                + " training; seconds since training started, virtual seconds for sim-N). Compute"
                + " = mean per-iteration time less exchange (unslowed workers); exchange = mean"
                + " time in the algorithm's synchronisation.%n%n",
            target * 100,
            all.isEmpty() || all.get(0).curve().isEmpty()
                ? "?"
                : String.valueOf(all.get(0).curve().get(0).iteration())));
    md.append(
        "| scale | setting | algo | time to target s | iteration | final accuracy |"
            + " iterations run | compute ms | exchange ms |\n"
            + "|---|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (Cell c : all) {
      AccuracyCurve.Point last = c.curve().get(c.curve().size() - 1);
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%s,%s,%d,%s,%d,%.4f,%d,%.2f,%.2f%n",
              c.scale(),
              c.setting(),
              c.algo(),
              c.workers(),
              c.timeToTarget().isPresent()
                  ? String.format(Locale.ROOT, "%.2f", c.timeToTarget().getAsDouble())
                  : "",
              c.iterationAtTarget(),
              last.accuracy(),
              last.iteration(),
              c.meanComputeMs(),
              c.meanExchangeMs()));
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %s | %.4f | %d | %.1f | %.1f |%n",
              c.scale(),
              c.setting(),
              c.algo(),
              c.timeToTarget().isPresent()
                  ? String.format(Locale.ROOT, "%.1f", c.timeToTarget().getAsDouble())
                  : "not reached",
              c.iterationAtTarget() >= 0 ? String.valueOf(c.iterationAtTarget()) : "-",
              last.accuracy(),
              last.iteration(),
              c.meanComputeMs(),
              c.meanExchangeMs()));
      Path copy =
          out.resolve("curves").resolve(c.scale() + "-" + c.setting() + "-" + c.algo() + ".csv");
      AccuracyCurve.write(copy, c.curve());
    }
    md.append(comparison(all));
    if (fitCsv != null && Files.isRegularFile(fitCsv)) {
      md.append(
          "\nNetwork calibration (`scale.sh fit N`): simulated one-way latency chosen so that the"
              + " simulated All-Reduce's mean exchange time per iteration equals the real one"
              + " (secant steps through simulations, from 0 and 2 ms) under a network model: `host B`, all"
              + " processes share one host moving B MB/s in total (`C cpus`: message handling also"
              + " shares C processors with the workers computing at the time); `nic B`, one machine"
              + " per process, B MB/s in and out of each:\n\n"
              + "| workers | network model | real exchange ms | sim at 0 ms | sim at 2 ms |"
              + " fitted latency ms |\n"
              + "|---:|---|---:|---:|---:|---:|\n");
      for (String line : Files.readAllLines(fitCsv, StandardCharsets.UTF_8)) {
        String[] f = line.split(",");
        if (f.length == 5 || f.length == 6) {
          md.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %s | %.2f | %.2f | %.2f | %s |%n",
                  f[0],
                  f.length == 6 ? (f[5].contains("MB/s") ? f[5] : f[5] + " MB/s") : "nic",
                  Double.parseDouble(f[1]) * 1e3,
                  Double.parseDouble(f[2]) * 1e3,
                  Double.parseDouble(f[3]) * 1e3,
                  f[4]));
        }
      }
      Files.copy(
          fitCsv,
          out.resolve("latency-fit.csv"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Files.writeString(out.resolve("scale.csv"), csv, StandardCharsets.UTF_8);
    Files.writeString(out.resolve("scale.md"), md, StandardCharsets.UTF_8);
    charts(all, out);
    return all.size();
  }

  /** Each simulated cell against its real twin: the time error the issue bounds at 15%. */
  private String comparison(List<Cell> all) {
    StringBuilder md =
        new StringBuilder(
            "\nSimulated against real (same workers, setting and algorithm; error = sim / real -"
                + " 1):\n\n"
                + "| workers | setting | algo | real s | sim s | error | real iteration | sim"
                + " iteration | real per-iteration ms | sim per-iteration ms |\n"
                + "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Cell sim : all) {
      if (!sim.simulated()) {
        continue;
      }
      for (Cell real : all) {
        if (real.simulated()
            || real.workers() != sim.workers()
            || !real.setting().equals(sim.setting())
            || !real.algo().equals(sim.algo())) {
          continue;
        }
        boolean both = real.timeToTarget().isPresent() && sim.timeToTarget().isPresent();
        md.append(
            String.format(
                Locale.ROOT,
                "| %d | %s | %s | %s | %s | %s | %s | %s | %.1f | %.1f |%n",
                sim.workers(),
                sim.setting(),
                sim.algo(),
                fmt(real.timeToTarget()),
                fmt(sim.timeToTarget()),
                both
                    ? String.format(
                        Locale.ROOT,
                        "%+.1f%%",
                        100
                            * (sim.timeToTarget().getAsDouble() / real.timeToTarget().getAsDouble()
                                - 1))
                    : "-",
                real.iterationAtTarget() >= 0 ? String.valueOf(real.iterationAtTarget()) : "-",
                sim.iterationAtTarget() >= 0 ? String.valueOf(sim.iterationAtTarget()) : "-",
                perIteration(real),
                perIteration(sim)));
      }
    }
    return md.toString();
  }

  /** Mean seconds per iteration of worker 0 over its curve, in ms. */
  private static double perIteration(Cell c) {
    AccuracyCurve.Point last = c.curve().get(c.curve().size() - 1);
    return 1e3 * last.seconds() / last.iteration();
  }

  private static String fmt(OptionalDouble t) {
    return t.isPresent() ? String.format(Locale.ROOT, "%.1f", t.getAsDouble()) : "not reached";
  }

  private void charts(List<Cell> all, Path out) throws IOException {
    Set<String> groups = new TreeSet<>();
    all.forEach(c -> groups.add(c.workers() + "/" + c.setting()));
    for (String g : groups) {
      int workers = Integer.parseInt(g.substring(0, g.indexOf('/')));
      String setting = g.substring(g.indexOf('/') + 1);
      Map<String, List<double[]>> series = new LinkedHashMap<>();
      double maxT = 0;
      for (String algo : List.of("allreduce", "ps", "adpsgd")) {
        for (boolean sim : List.of(false, true)) {
          for (Cell c : all) {
            if (c.workers() == workers
                && c.setting().equals(setting)
                && c.algo().equals(algo)
                && c.simulated() == sim) {
              List<double[]> pts = new ArrayList<>();
              for (AccuracyCurve.Point p : c.curve()) {
                pts.add(new double[] {p.seconds(), p.accuracy()});
                maxT = Math.max(maxT, p.seconds());
              }
              series.put(algo + (sim ? " (sim)" : " real"), pts);
            }
          }
        }
      }
      PointChart.write(
          series,
          String.format(Locale.ROOT, "%d workers, %s", workers, setting),
          new PointChart.Axes("seconds", "test accuracy", 0, maxT, 0.6, 0.9, target),
          out.resolve("accuracy-" + workers + "-" + setting + ".png"));
    }
    for (String setting : List.of("homogeneous", "5x")) {
      Map<String, List<double[]>> series = new LinkedHashMap<>();
      double maxT = 0;
      for (String algo : List.of("allreduce", "ps", "adpsgd")) {
        for (boolean sim : List.of(false, true)) {
          List<double[]> pts = new ArrayList<>();
          for (Cell c : all) {
            if (c.setting().equals(setting)
                && c.algo().equals(algo)
                && c.simulated() == sim
                && c.timeToTarget().isPresent()) {
              pts.add(
                  new double[] {
                    Math.log(c.workers()) / Math.log(2), c.timeToTarget().getAsDouble()
                  });
              maxT = Math.max(maxT, c.timeToTarget().getAsDouble());
            }
          }
          pts.sort((a, b) -> Double.compare(a[0], b[0]));
          if (!pts.isEmpty()) {
            series.put(algo + (sim ? " (sim)" : " real"), pts);
          }
        }
      }
      if (!series.isEmpty()) {
        PointChart.write(
            series,
            String.format(Locale.ROOT, "time to %.0f%%, %s", target * 100, setting),
            new PointChart.Axes("log2(workers)", "seconds", 2, 6, 0, maxT * 1.1, Double.NaN),
            out.resolve("time-to-target-" + setting + ".png"));
      }
    }
  }
}
