package dev.weft.trainer.study;

import dev.weft.trainer.metrics.IterationRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One finished run of the study and what it showed.
 *
 * @param scale {@code real-4}, {@code sim-16}, ...
 * @param setting {@code homogeneous}, {@code 2x}, {@code 5x}: one worker that much slower
 * @param wallSeconds until every worker finished (virtual seconds when simulated)
 * @param timeToTarget when the worker-average model's held-out accuracy first reached the target
 *     (NaN: never)
 * @param bestAccuracy the highest held-out accuracy the worker-average model reached
 * @param finalLoss running mean training loss at the end
 * @param accuracy full test-set accuracy of the final (consensus) model
 * @param iterations all workers together
 */
public record StudyCell(
    String scale,
    String setting,
    String variant,
    double wallSeconds,
    double timeToTarget,
    double bestAccuracy,
    double finalLoss,
    double accuracy,
    long iterations) {

  static final String CSV_HEADER =
      "scale,setting,variant,wall_seconds,time_to_target_s,best_heldout_accuracy,final_loss,"
          + "test_accuracy,iterations";

  String toCsv() {
    return String.format(
        Locale.ROOT,
        "%s,%s,%s,%.3f,%.3f,%.4f,%.4f,%.4f,%d",
        scale,
        setting,
        variant,
        wallSeconds,
        timeToTarget,
        bestAccuracy,
        finalLoss,
        accuracy,
        iterations);
  }

  static StudyCell parseCsv(String line) {
    String[] f = line.split(",");
    if (f.length != 9) {
      throw new IllegalArgumentException("study cell line has " + f.length + " fields: " + line);
    }
    return new StudyCell(
        f[0],
        f[1],
        f[2],
        Double.parseDouble(f[3]),
        Double.parseDouble(f[4]),
        Double.parseDouble(f[5]),
        Double.parseDouble(f[6]),
        Double.parseDouble(f[7]),
        Long.parseLong(f[8]));
  }

  /**
   * The running mean of the last {@code window} training losses of all workers, in wall-time order:
   * the loss curve of the whole cluster (one point per record).
   */
  static List<IterationRecord> runningMean(List<IterationRecord> byTime, int window) {
    List<IterationRecord> out = new ArrayList<>();
    double sum = 0;
    for (int i = 0; i < byTime.size(); i++) {
      sum += byTime.get(i).loss();
      if (i >= window) {
        sum -= byTime.get(i - window).loss();
      }
      IterationRecord r = byTime.get(i);
      double mean = sum / Math.min(i + 1, window);
      out.add(
          new IterationRecord(
              0, i, r.epoch(), r.wallSeconds(), mean, r.computeSeconds(), r.waitSeconds(), 0));
    }
    return out;
  }
}
