package dev.weft.cli.sim;

import dev.weft.simulator.metrics.ServingMetrics;
import dev.weft.simulator.metrics.Summary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Live against simulated, metric by metric, with the targets: throughput and mean E2E
 * within 1%, mean TTFT and TPOT within 3%, P99s within 5%; other metrics are reported untargeted.
 */
final class Comparison {

  /** One metric of one load. */
  record Row(
      String load,
      String metric,
      double live,
      double simulated,
      double errorPercent,
      double targetPercent,
      double liveLow,
      double liveHigh,
      double simLow,
      double simHigh) {

    boolean targeted() {
      return !Double.isNaN(targetPercent);
    }

    boolean met() {
      return !targeted() || errorPercent <= targetPercent;
    }
  }

  static final Map<String, Double> TARGETS =
      Map.of(
          "throughput", 1.0,
          "mean e2e", 1.0,
          "mean ttft", 3.0,
          "mean tpot", 3.0,
          "p99 ttft", 5.0,
          "p99 tpot", 5.0,
          "p99 itl", 5.0,
          "p99 e2e", 5.0);

  private Comparison() {}

  static List<Row> rows(ValidationRun.LoadResult r) {
    ServingMetrics live = r.liveMetrics();
    ServingMetrics sim = r.simMetrics();
    Map<String, Double> l = live.flat();
    Map<String, Double> s = sim.flat();
    List<Row> rows = new ArrayList<>();
    for (String metric : l.keySet()) {
      double lv = l.get(metric);
      double sv = s.get(metric);
      double err = 100 * Math.abs(sv - lv) / Math.abs(lv);
      double[] li = {Double.NaN, Double.NaN};
      double[] si = {Double.NaN, Double.NaN};
      if (metric.startsWith("p99 ")) {
        String name = metric.substring(4);
        li = bootstrapP99(ServingMetrics.samples(r.live(), name), 1);
        si = bootstrapP99(ServingMetrics.samples(r.simulated(), name), 2);
      }
      rows.add(
          new Row(
              r.load(),
              metric,
              lv,
              sv,
              err,
              TARGETS.getOrDefault(metric, Double.NaN),
              li[0],
              li[1],
              si[0],
              si[1]));
    }
    return rows;
  }

  /** 95% percentile-bootstrap interval of the P99 (1000 seeded resamples). */
  static double[] bootstrapP99(double[] values, long seed) {
    if (values.length == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] p99s = new double[1000];
    double[] resample = new double[values.length];
    for (int b = 0; b < p99s.length; b++) {
      for (int i = 0; i < values.length; i++) {
        resample[i] = values[random.nextInt(values.length)];
      }
      Arrays.sort(resample);
      p99s[b] = Summary.percentile(resample, 99);
    }
    Arrays.sort(p99s);
    return new double[] {Summary.percentile(p99s, 2.5), Summary.percentile(p99s, 97.5)};
  }

  /** The targeted row with the largest error. */
  static Row worst(List<Row> rows) {
    Row worst = null;
    for (Row row : rows) {
      if (row.targeted() && (worst == null || !(row.errorPercent() <= worst.errorPercent()))) {
        worst = row;
      }
    }
    return worst;
  }
}
