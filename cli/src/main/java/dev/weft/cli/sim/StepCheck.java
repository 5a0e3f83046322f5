package dev.weft.cli.sim;

import dev.weft.simulator.CostModel;
import dev.weft.simulator.StepTiming;
import dev.weft.simulator.calibration.StepSample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The direct diagnostic of a validation: the live server's own step records against the cost
 * model's prediction for the very same step shapes, grouped by kind and batch size. A latency error
 * that this table does not show (busy and trailing both predicted well) lies outside the steps
 * (client, gRPC transit, scheduling of arrivals); one it shows is the cost model's.
 */
final class StepCheck {

  /** One group's live and predicted means, in milliseconds. */
  record Row(
      String load,
      String group,
      int steps,
      double liveBusyMs,
      double predictedBusyMs,
      double liveTrailingMs,
      double predictedTrailingMs,
      double perStepErrorPercent) {

    double busyErrorPercent() {
      return 100 * (predictedBusyMs - liveBusyMs) / liveBusyMs;
    }

    double totalErrorPercent() {
      double live = liveBusyMs + liveTrailingMs;
      return 100 * (predictedBusyMs + predictedTrailingMs - live) / live;
    }
  }

  private StepCheck() {}

  static List<Row> rows(String load, List<StepSample> live, CostModel cost) {
    Map<String, List<StepSample>> groups = new LinkedHashMap<>();
    groups.put("all steps", new ArrayList<>());
    for (StepSample s : live) {
      groups.get("all steps").add(s);
      groups.computeIfAbsent(group(s), g -> new ArrayList<>()).add(s);
    }
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, List<StepSample>> g : groups.entrySet()) {
      List<StepSample> steps = g.getValue();
      if (steps.isEmpty()) {
        continue;
      }
      double busy = 0;
      double predBusy = 0;
      double trailing = 0;
      double predTrailing = 0;
      double perStep = 0;
      for (StepSample s : steps) {
        StepTiming p = cost.predict(0, s.shape());
        busy += s.busyNanos();
        predBusy += p.busyNanos();
        trailing += s.trailingNanos();
        predTrailing += p.trailingNanos();
        perStep += Math.abs(p.busyNanos() - s.busyNanos()) / (double) Math.max(1, s.busyNanos());
      }
      int n = steps.size();
      rows.add(
          new Row(
              load,
              g.getKey(),
              n,
              busy / n / 1e6,
              predBusy / n / 1e6,
              trailing / n / 1e6,
              predTrailing / n / 1e6,
              100 * perStep / n));
    }
    return rows;
  }

  private static String group(StepSample s) {
    int seqs = s.shape().sequences();
    String size = seqs <= 1 ? "1" : seqs <= 4 ? "2-4" : seqs <= 16 ? "5-16" : "17+";
    return (s.shape().prefillSequences() > 0 ? "with prefill" : "decode only") + ", " + size;
  }

  static String table(List<Row> rows) {
    StringBuilder b = new StringBuilder();
    b.append(
        "| load | steps | n | live busy (ms) | predicted busy (ms) | busy error | per-step busy"
            + " error | live trailing (ms) | predicted trailing (ms) | step total error |\n");
    b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %.3f | %.3f | %+.1f%% | %.1f%% | %.3f | %.3f | %+.1f%% |%n",
              r.load(),
              r.group(),
              r.steps(),
              r.liveBusyMs(),
              r.predictedBusyMs(),
              r.busyErrorPercent(),
              r.perStepErrorPercent(),
              r.liveTrailingMs(),
              r.predictedTrailingMs(),
              r.totalErrorPercent()));
    }
    return b.toString();
  }
}
