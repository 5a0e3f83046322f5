package dev.weft.cli;

import dev.weft.scheduler.StepRecord;
import dev.weft.scheduler.kv.KvCacheStats;

/**
 * The server's side of a benchmark, from every step it ran: how full the batches were, how much of
 * the KV slots held were wasted, and a least-squares fit of a step's run time, {@code a + b *
 * prefill tokens + c * decode sequences}, from which the ideal throughput is computed.
 */
final class StepStats {

  private long steps;
  private long sequences;
  private long runNanos;
  private long wasteSlots;
  private long heldSlots;
  private long prefixHits;
  private long prefixQueries;
  // Normal equations of the fit: sums of x x^T and x y for x = (1, prefill, decode).
  private final double[][] xx = new double[3][3];
  private final double[] xy = new double[3];

  synchronized void add(StepRecord record, KvCacheStats kv) {
    steps++;
    sequences += record.numSequences();
    runNanos += record.runNanos();
    wasteSlots += kv.wasteSlots();
    heldSlots += (long) kv.usedBlocks() * kv.blockSize();
    prefixHits = kv.prefixHitTokens();
    prefixQueries = kv.prefixQueryTokens();
    double[] x = {1, record.numPrefillTokens(), record.numDecodeTokens()};
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        xx[i][j] += x[i] * x[j];
      }
      xy[i] += x[i] * record.runNanos();
    }
  }

  synchronized long steps() {
    return steps;
  }

  /** Prompt tokens found in the prefix cache, "hits/queries", since the server started. */
  synchronized String prefixHits() {
    return prefixHits + "/" + prefixQueries;
  }

  synchronized double meanBatch() {
    return steps == 0 ? 0 : (double) sequences / steps;
  }

  synchronized double runSeconds() {
    return runNanos / 1e9;
  }

  /** Slots in held blocks holding no token, over all held slots, summed over steps. */
  synchronized double kvWaste() {
    return heldSlots == 0 ? 0 : (double) wasteSlots / heldSlots;
  }

  /** (a, b, c) in seconds: per step, per prefill token, per decode sequence. */
  synchronized double[] fit() {
    double[][] m = new double[3][4];
    for (int i = 0; i < 3; i++) {
      System.arraycopy(xx[i], 0, m[i], 0, 3);
      m[i][3] = xy[i];
    }
    for (int col = 0; col < 3; col++) { // Gaussian elimination with partial pivoting
      int pivot = col;
      for (int r = col + 1; r < 3; r++) {
        if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
          pivot = r;
        }
      }
      double[] tmp = m[col];
      m[col] = m[pivot];
      m[pivot] = tmp;
      if (Math.abs(m[col][col]) < 1e-9) {
        return new double[] {Double.NaN, Double.NaN, Double.NaN};
      }
      for (int r = 0; r < 3; r++) {
        if (r != col) {
          double f = m[r][col] / m[col][col];
          for (int k = col; k < 4; k++) {
            m[r][k] -= f * m[col][k];
          }
        }
      }
    }
    return new double[] {m[0][3] / m[0][0] / 1e9, m[1][3] / m[1][1] / 1e9, m[2][3] / m[2][2] / 1e9};
  }

  /**
   * Output tokens per second if every decode step ran a full batch of {@code batch} sequences, at
   * the fitted costs: each request costs its prefill plus, per output token, its share of a full
   * decode step. No faster than the arrivals allow.
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
