package dev.weft.benchmarks.engine;

import java.util.Locale;

/**
 * One measured row.
 *
 * @param tokensPerSecond achieved
 * @param stepMillis median step time (NaN for external programs)
 * @param gflops weight-product GFLOP/s achieved
 * @param memoryLimit tokens/s if the step only read its weights at measured bandwidth
 * @param computeLimit tokens/s if the step only ran its weight products at their measured rate
 */
record BenchResult(
    String shape,
    String workload,
    double tokensPerSecond,
    double stepMillis,
    double gflops,
    double memoryLimit,
    double computeLimit) {

  static BenchResult external(String shape, String workload, double tokensPerSecond) {
    return new BenchResult(
        shape, workload, tokensPerSecond, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
  }

  /** The tighter of the two limits. */
  double limit() {
    return Math.min(memoryLimit, computeLimit);
  }

  double ratio() {
    return tokensPerSecond / limit();
  }

  String summary() {
    return String.format(
        Locale.ROOT,
        "%s %s: %.1f tok/s (step %.2f ms, %.1f GFLOP/s); limits: memory %.1f, compute %.1f tok/s;"
            + " %.0f%% of limit",
        shape,
        workload,
        tokensPerSecond,
        stepMillis,
        gflops,
        memoryLimit,
        computeLimit,
        100 * ratio());
  }
}
