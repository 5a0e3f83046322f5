package dev.weft.accel.graph;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code checksum:} line of {@code weft graph}: a summary of a result that is identical across
 * backends for the same input. Integer results (depths, labels) are summed exactly; min-semiring
 * distances agree bit for bit (floating-point addition is monotone, so every backend finds the same
 * minimal path sums); sums of (+, ·) results are printed to 9 significant digits, far coarser than
 * the ~1e-15 differences summation order causes.
 */
public final class Checksums {

  private Checksums() {}

  /** Iterations run and Σ rank. */
  public static String pageRank(PageRankResult r) {
    double sum = 0;
    for (double v : r.ranks()) {
      sum += v;
    }
    return String.format(Locale.ROOT, "pagerank iterations=%d rank_sum=%.9f", r.iterations(), sum);
  }

  /** Σ y and Σ |y| for y = Aᵀx. */
  public static String spmv(double[] y) {
    double sum = 0;
    double abs = 0;
    for (double v : y) {
      sum += v;
      abs += Math.abs(v);
    }
    return String.format(Locale.ROOT, "spmv sum=%.9e abs_sum=%.9e", sum, abs);
  }

  /** Vertices reached, Σ depth and the deepest level. */
  public static String bfs(int[] depth) {
    long reached = 0;
    long sum = 0;
    int max = 0;
    for (int d : depth) {
      if (d >= 0) {
        reached++;
        sum += d;
        max = Math.max(max, d);
      }
    }
    return "bfs reached=" + reached + " depth_sum=" + sum + " max_depth=" + max;
  }

  /** Vertices reached, Σ distance and the largest distance. */
  public static String sssp(double[] dist) {
    long reached = 0;
    double sum = 0;
    double max = 0;
    for (double d : dist) {
      if (!Double.isInfinite(d)) {
        reached++;
        sum += d;
        max = Math.max(max, d);
      }
    }
    return String.format(
        Locale.ROOT, "sssp reached=%d dist_sum=%.6f max_dist=%.6f", reached, sum, max);
  }

  /** Number of components, the largest one's size, and Σ label. */
  public static String components(int[] label) {
    Map<Integer, Integer> sizes = new HashMap<>();
    long sum = 0;
    for (int l : label) {
      sizes.merge(l, 1, Integer::sum);
      sum += l;
    }
    int largest = sizes.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    return "cc components=" + sizes.size() + " largest=" + largest + " label_sum=" + sum;
  }

  /** Training RMSE before and after. */
  public static String cf(CfResult r) {
    return String.format(
        Locale.ROOT, "cf rmse_initial=%.6f rmse_final=%.6f", r.initialRmse(), r.finalRmse());
  }
}
