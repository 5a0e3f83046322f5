package dev.weft.trainer.hypar;

import java.util.ArrayList;
import java.util.List;

/**
 * Searches that find the true least communication, to measure how far HyPar's level-by-level search
 * is from it.
 *
 * <p>{@link #bruteForce} enumerates every assignment (2^(layers·levels), small cases only). {@link
 * #optimal} gives the same answer for any size: the total is a sum of per-layer terms and terms of
 * adjacent layer pairs, where a layer's "state" is its choice at every level (its sizes at level h
 * depend only on its own choices above h), so a Viterbi pass over 2^levels states per layer is
 * exact. Tests check the two agree.
 */
public final class Exhaustive {

  /** Largest brute-force search, in assignments. */
  public static final long MAX_ASSIGNMENTS = 1L << 22;

  private Exhaustive() {}

  /** The least one-level communication over all 2^layers assignments. */
  public static HyPar.TwoWay oneLevel(List<Part> parts) {
    int n = parts.size();
    if (n > 22) {
      throw new IllegalArgumentException(n + " layers are too many for exhaustive search");
    }
    double best = Double.POSITIVE_INFINITY;
    List<Choice> arg = null;
    for (long m = 0; m < (1L << n); m++) {
      List<Choice> cs = choices(m, n);
      double v = CommModel.level(parts, cs);
      if (v < best) {
        best = v;
        arg = cs;
      }
    }
    return new HyPar.TwoWay(arg, best);
  }

  /** Every assignment of every level; the one with the least paper total. */
  public static Plan bruteForce(Network net, int depth) {
    int n = net.size();
    long count = 1L << Math.min(62, (long) n * depth);
    if ((long) n * depth > 22 || count > MAX_ASSIGNMENTS) {
      throw new IllegalArgumentException(
          net.name() + ": 2^" + (n * depth) + " assignments are too many for brute force");
    }
    Plan best = null;
    for (long m = 0; m < count; m++) {
      List<List<Choice>> levels = new ArrayList<>();
      for (int h = 0; h < depth; h++) {
        levels.add(choices(m >>> (h * n), n));
      }
      Plan p = HyPar.evaluate("brute-force", net, levels);
      if (best == null || p.totalElements() < best.totalElements()) {
        best = p;
      }
    }
    return best;
  }

  /** The least paper total over all assignments, by dynamic programming over joint states. */
  public static Plan optimal(Network net, int depth) {
    double[] w = new double[depth];
    for (int h = 0; h < depth; h++) {
      w[h] = Math.scalb(1.0, h);
    }
    return optimal(net, depth, w, "optimal");
  }

  /**
   * The least modelled communication time over all assignments: level Hh weighs {@code 4 /
   * bandwidth_h} per element (its links work in parallel), not the paper's {@code 2^(h-1)}.
   */
  public static Plan fastest(Network net, int depth, ArrayModel model) {
    double[] w = new double[depth];
    for (int h = 0; h < depth; h++) {
      w[h] = 4 / model.bandwidth(h + 1);
    }
    return optimal(net, depth, w, "fastest");
  }

  /** The assignment minimising {@code sum_h weights[h-1] * com_h}. */
  public static Plan optimal(Network net, int depth, double[] weights, String name) {
    int n = net.size();
    int states = 1 << depth;
    List<Part> base = HyPar.parts(net);
    double[][] cost = new double[n][states];
    int[][] from = new int[n][states];
    for (int l = 0; l < n; l++) {
      for (int s = 0; s < states; s++) {
        Part p = base.get(l);
        double intra = 0;
        double[] interFromDp = new double[depth];
        double[] interFromMp = new double[depth];
        for (int h = 0; h < depth; h++) {
          Choice c = choice(s, h);
          double w = weights[h];
          intra += w * CommModel.intra(p, c);
          interFromDp[h] = w * CommModel.inter(Choice.DP, c, p);
          interFromMp[h] = w * CommModel.inter(Choice.MP, c, p);
          p = p.split(c);
        }
        if (l == 0) {
          cost[l][s] = intra;
          continue;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int q = 0; q < states; q++) {
          double v = cost[l - 1][q];
          for (int h = 0; h < depth; h++) {
            v += choice(q, h) == Choice.DP ? interFromDp[h] : interFromMp[h];
          }
          if (v < best) {
            best = v;
            from[l][s] = q;
          }
        }
        cost[l][s] = best + intra;
      }
    }
    int s = 0;
    for (int q = 1; q < states; q++) {
      if (cost[n - 1][q] < cost[n - 1][s]) {
        s = q;
      }
    }
    int[] state = new int[n];
    for (int l = n - 1; l >= 0; l--) {
      state[l] = s;
      s = from[l][s];
    }
    List<List<Choice>> levels = new ArrayList<>();
    for (int h = 0; h < depth; h++) {
      List<Choice> cs = new ArrayList<>();
      for (int l = 0; l < n; l++) {
        cs.add(choice(state[l], h));
      }
      levels.add(cs);
    }
    return HyPar.evaluate(name, net, levels);
  }

  private static Choice choice(int state, int h) {
    return Choice.of(((state >>> h) & 1) == 1);
  }

  private static List<Choice> choices(long mask, int n) {
    List<Choice> cs = new ArrayList<>(n);
    for (int l = 0; l < n; l++) {
      cs.add(Choice.of(((mask >>> l) & 1) == 1));
    }
    return cs;
  }
}
