package dev.weft.simulator.metrics;

import java.util.Arrays;

/**
 * Mean, median, P90 and P99 of a sample (percentiles by linear interpolation between order
 * statistics, numpy's default, as in vLLM's benchmark_serving).
 */
public record Summary(int count, double mean, double median, double p90, double p99) {

  public static final Summary EMPTY =
      new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  public static Summary of(double[] values) {
    if (values.length == 0) {
      return EMPTY;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double sum = 0;
    for (double v : sorted) {
      sum += v;
    }
    return new Summary(
        sorted.length,
        sum / sorted.length,
        percentile(sorted, 50),
        percentile(sorted, 90),
        percentile(sorted, 99));
  }

  /** The {@code p}-th percentile of already sorted values. */
  public static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double rank = p / 100 * (sorted.length - 1);
    int lo = (int) Math.floor(rank);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
  }

  /** The statistic named {@code mean}, {@code median}, {@code p90} or {@code p99}. */
  public double get(String statistic) {
    switch (statistic) {
      case "mean":
        return mean;
      case "median":
        return median;
      case "p90":
        return p90;
      case "p99":
        return p99;
      default:
        throw new IllegalArgumentException("no statistic " + statistic);
    }
  }
}
