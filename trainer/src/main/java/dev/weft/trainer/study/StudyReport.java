package dev.weft.trainer.study;

import dev.weft.trainer.metrics.IterationRecord;
import dev.weft.trainer.metrics.LossChart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Rebuilds the study's {@code study.csv}, {@code study.md} (tables beside the papers' figures) and
 * one loss-vs-time and one accuracy-vs-time chart per scale and setting from the cells under {@code
 * out/cells}.
 */
public final class StudyReport {

  private StudyReport() {}

  /** The papers' speedups, for the tables. */
  private static final Map<String, String> PAPER =
      Map.of(
          "homogeneous/allreduce", "1.1x (ASPLOS: 1.2x)",
          "homogeneous/ps", "5.1x (ASPLOS: 5.3x)",
          "homogeneous/adpsgd", "4.3x (ASPLOS: 3.7x)",
          "hetero/allreduce", "2x (ASPLOS: 4.4x)",
          "hetero/ps", "3x");

  public static void write(Path out, double targetAccuracy, int evalImages) throws IOException {
    List<StudyCell> cells = new ArrayList<>();
    Path root = out.resolve("cells");
    if (Files.isDirectory(root)) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(p -> p.endsWith("cell.csv")).sorted().toList()) {
          cells.add(StudyCell.parseCsv(Files.readAllLines(f, StandardCharsets.UTF_8).get(1)));
        }
      }
    }
    StringBuilder csv = new StringBuilder(StudyCell.CSV_HEADER).append('\n');
    cells.forEach(c -> csv.append(c.toCsv()).append('\n'));
    Files.writeString(out.resolve("study.csv"), csv.toString(), StandardCharsets.UTF_8);
    Map<String, Map<String, Map<String, StudyCell>>> byScale = new TreeMap<>();
    for (StudyCell c : cells) {
      byScale
          .computeIfAbsent(c.scale(), k -> new TreeMap<>())
          .computeIfAbsent(c.setting(), k -> new LinkedHashMap<>())
          .put(c.variant(), c);
    }
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "Time to target = first time the worker-average model (the mean of every worker's"
                + " parameters) reaches %.0f%% accuracy on the first %d Fashion-MNIST test images;"
                + " best = the highest it reached there; final loss = running mean training loss"
                + " of all workers at the end; test accuracy = the final consensus model on the"
                + " full test set; wall = until every worker finished its iteration budget."
                + " Simulated scales report virtual seconds.%n%n",
            targetAccuracy * 100,
            evalImages));
    for (var scale : byScale.entrySet()) {
      md.append("## ").append(scale.getKey()).append("\n\n");
      md.append(
          "| setting | variant | time to target s | best held-out accuracy | wall s | final loss"
              + " | test accuracy | iterations |\n");
      md.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
      for (var setting : scale.getValue().entrySet()) {
        for (StudyCell c : setting.getValue().values()) {
          md.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %s | %s | %.4f | %.1f | %.3f | %.4f | %d |%n",
                  c.setting(),
                  c.variant(),
                  Double.isNaN(c.timeToTarget())
                      ? "not reached"
                      : String.format(Locale.ROOT, "%.2f", c.timeToTarget()),
                  c.bestAccuracy(),
                  c.wallSeconds(),
                  c.finalLoss(),
                  c.accuracy(),
                  c.iterations()));
        }
        chart(out, scale.getKey(), setting.getKey(), setting.getValue());
      }
      md.append(
          "\nSpeedups in time to target (the other's time / this one's), beside the Ripples paper's:\n\n");
      md.append(
          "| setting | Ripples vs All-Reduce | paper | Ripples vs PS | paper | Ripples vs AD-PSGD | paper | Hop vs Hop without backup/skip |\n");
      md.append("|---|---:|---|---:|---|---:|---|---:|\n");
      for (var setting : scale.getValue().entrySet()) {
        Map<String, StudyCell> v = setting.getValue();
        String kind = setting.getKey().equals("homogeneous") ? "homogeneous" : "hetero";
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s | %s | %s | %s | %s |%n",
                setting.getKey(),
                ratio(v, "allreduce", "ripples"),
                PAPER.getOrDefault(kind + "/allreduce", "-"),
                ratio(v, "ps", "ripples"),
                PAPER.getOrDefault(kind + "/ps", "-"),
                ratio(v, "adpsgd", "ripples"),
                PAPER.getOrDefault(kind + "/adpsgd", "-"),
                ratio(v, "hop-plain", "hop")));
      }
      md.append('\n');
    }
    Files.writeString(out.resolve("study.md"), md.toString(), StandardCharsets.UTF_8);
  }

  /** {@code base}'s time to target over {@code fast}'s, or a dash if either never got there. */
  static String ratio(Map<String, StudyCell> v, String base, String fast) {
    Optional<Double> r = speedup(v, base, fast);
    return r.map(x -> String.format(Locale.ROOT, "%.2fx", x)).orElse("-");
  }

  static Optional<Double> speedup(Map<String, StudyCell> v, String base, String fast) {
    StudyCell b = v.get(base);
    StudyCell f = v.get(fast);
    if (b == null
        || f == null
        || Double.isNaN(b.timeToTarget())
        || Double.isNaN(f.timeToTarget())) {
      return Optional.empty();
    }
    return Optional.of(b.timeToTarget() / f.timeToTarget());
  }

  private static void chart(Path out, String scale, String setting, Map<String, StudyCell> v)
      throws IOException {
    Map<String, List<IterationRecord>> loss = new LinkedHashMap<>();
    Map<String, List<IterationRecord>> accuracy = new LinkedHashMap<>();
    for (String variant : v.keySet()) {
      Path cell = out.resolve("cells").resolve(scale).resolve(setting).resolve(variant);
      if (Files.exists(cell.resolve("curve.csv"))) {
        loss.put(variant, points(cell.resolve("curve.csv")));
      }
      if (Files.exists(cell.resolve("accuracy.csv"))) {
        accuracy.put(variant, points(cell.resolve("accuracy.csv")));
      }
    }
    String name = scale + "-" + setting + ".png";
    if (!loss.isEmpty()) {
      LossChart.writeSeries(
          loss, scale + ", " + setting + ": training loss vs time", out.resolve("loss-" + name));
    }
    if (!accuracy.isEmpty()) {
      LossChart.writeSeries(
          accuracy,
          scale + ", " + setting + ": held-out accuracy of the worker average vs time",
          "accuracy",
          1,
          out.resolve("accuracy-" + name));
    }
  }

  /** A two-column CSV (time, value) as records whose loss is the value. */
  private static List<IterationRecord> points(Path csv) throws IOException {
    List<IterationRecord> pts = new ArrayList<>();
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",");
      pts.add(
          new IterationRecord(
              0, i, 0, Double.parseDouble(f[0]), Double.parseDouble(f[1]), 0, 0, 0));
    }
    return pts;
  }
}
