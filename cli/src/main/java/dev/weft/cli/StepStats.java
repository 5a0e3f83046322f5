package dev.weft.cli;

import dev.weft.scheduler.StepRecord;
import dev.weft.scheduler.kv.KvCacheStats;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's side of a benchmark, from every step it ran: how full the batches were, how much of
 * the KV slots held were wasted, the step records themselves (the profiler's CSV), and a cost model
 * fitted to them from which the ideal throughput is computed: a decode step of B sequences costs
 * {@code a + c * B} (least squares over decode-only steps), and each prefill token adds {@code b}
 * (least squares over the other steps, after their decode part).
 */
final class StepStats {

  private final List<StepRecord> records = new ArrayList<>();
  private long wasteSlots;
  private long heldSlots;
  private long prefixHits;
  private long prefixQueries;

  synchronized void add(StepRecord record, KvCacheStats kv) {
    records.add(record);
    wasteSlots += kv.wasteSlots();
    heldSlots += (long) kv.usedBlocks() * kv.blockSize();
    prefixHits = kv.prefixHitTokens();
    prefixQueries = kv.prefixQueryTokens();
  }

  synchronized List<StepRecord> records() {
    return List.copyOf(records);
  }

  synchronized long steps() {
    return records.size();
  }

  /** Prompt tokens found in the prefix cache, "hits/queries", since the server started. */
  synchronized String prefixHits() {
    return prefixHits + "/" + prefixQueries;
  }

  synchronized double meanBatch() {
    long sequences = 0;
    for (StepRecord r : records) {
      sequences += r.numSequences();
    }
    return records.isEmpty() ? 0 : (double) sequences / records.size();
  }

  /** Slots in held blocks holding no token, over all held slots, summed over steps. */
  synchronized double kvWaste() {
    return heldSlots == 0 ? 0 : (double) wasteSlots / heldSlots;
  }

  /**
   * (a, b, c) in seconds: per decode step, per prefill token, per decode sequence; NaN where the
   * steps do not determine them or the fit is not physical (a negative cost: too noisy).
   */
  synchronized double[] fit() {
    double n = 0;
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (StepRecord r : records) {
      if (r.numPrefillTokens() == 0) {
        double x = r.numDecodeTokens();
        double y = r.runNanos() / 1e9;
        n++;
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
      }
    }
    double det = n * sxx - sx * sx;
    double c = det > 0 ? (n * sxy - sx * sy) / det : Double.NaN;
    double a = det > 0 ? (sy - c * sx) / n : Double.NaN;
    double pxx = 0;
    double pxy = 0;
    for (StepRecord r : records) {
      if (r.numPrefillTokens() > 0) {
        double rest = r.runNanos() / 1e9 - a - c * r.numDecodeTokens();
        pxx += (double) r.numPrefillTokens() * r.numPrefillTokens();
        pxy += r.numPrefillTokens() * rest;
      }
    }
    double b = pxx > 0 ? pxy / pxx : Double.NaN;
    if (a < 0 || b < 0 || c < 0) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
    return new double[] {a, b, c};
  }

  /**
   * Output tokens per second if every decode step ran a full batch of {@code batch} sequences, at
   * the fitted costs: each request costs its prefill plus, per output token, its share of a full
   * decode step. No faster than the arrivals allow. NaN when the fit failed.
   */
  double idealThroughput(BenchWorkload workload, int batch) {
    double[] cost = fit();
    double seconds = 0;
    long output = 0;
    long lastArrival = 0;
    for (BenchWorkload.Item item : workload.items) {
      seconds += cost[1] * item.prompt().length + item.outputTokens() * (cost[0] / batch + cost[2]);
      output += item.outputTokens();
      lastArrival = Math.max(lastArrival, item.arrivalNanos());
    }
    return output / Math.max(seconds, lastArrival / 1e9);
  }
}
