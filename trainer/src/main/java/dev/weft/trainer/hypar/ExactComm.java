package dev.weft.trainer.hypar;

import dev.weft.trainer.hypar.MlpLayout.Range;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The exact communication of an MLP step under a plan on {@code 2^H} workers, worked out from what
 * every worker holds and needs at every level, not from measurements: the second prediction beside
 * HyPar's per-level model ({@link Plan#bytesSentByAll()}).
 *
 * <p>Per level, each tensor of the step is split by batch rows (the layer is data parallel there),
 * split by feature columns (the weight's input rows, model parallel) or held whole by both groups
 * (replicated). The layouts are {@link MlpLayout}'s, which {@link HyParMlp} runs:
 *
 * <ul>
 *   <li>{@code z_l}: layer l's partial outputs ({@code rows(l)} x outputs), summed over l's mp
 *       levels; {@code w_l}: its weight-gradient slice ({@code cols(l)} x outputs), summed over its
 *       dp levels. A sum over k levels by recursive halving and doubling: at each level every pair
 *       of partners sends the part of its current range that the other keeps, both ways.
 *   <li>{@code f_l}: layer l's outputs (rows split at l's dp levels, replicated at its mp levels)
 *       to layer l+1's input (rows split at l+1's dp levels, columns at its mp levels); {@code
 *       e_l}: layer l's input error (rows at l's dp, columns at l's mp levels) to layer l-1's
 *       output error (rows at l-1's dp levels, replicated at its mp levels). A worker receives
 *       every element of the block it needs that it does not hold, once, from the nearest holder:
 *       the worker that differs from it only at the levels where the element's position forces a
 *       difference.
 * </ul>
 *
 * A transfer counts at the highest H-tree level at which sender and receiver differ (the link it
 * crosses there). Elements are 32-bit values; totals are over all workers, both directions.
 *
 * @param depth H, the number of levels
 * @param phases the step's collectives in the order {@link HyParMlp} runs them
 */
public record ExactComm(int depth, List<Phase> phases) {

  /**
   * One collective: its tag ({@code z0}, {@code f0}, ..., {@code w0}, {@code e1}), the layer it
   * belongs to in HyPar's terms (intra-layer l, or inter-layer between l and l+1) and the elements
   * all workers send in it, per level ({@code levelElements[h-1]} for Hh).
   */
  public record Phase(String tag, boolean intra, int layer, long[] levelElements) {
    public long elements() {
      return Arrays.stream(levelElements).sum();
    }
  }

  /** How one level splits a matrix of batch rows x feature columns between its two groups. */
  enum Split {
    ROWS,
    COLS,
    WHOLE
  }

  public ExactComm {
    phases = List.copyOf(phases);
  }

  /** The accounting for {@code layout}'s plan. */
  public static ExactComm of(MlpLayout layout) {
    int n = layout.layers();
    int h = layout.depth();
    List<Phase> out = new ArrayList<>();
    for (int l = 0; l < n; l++) {
      int dp = layout.levelsOf(l, Choice.DP).size();
      long z = (long) (layout.batch() >> dp) * layout.width(l + 1);
      out.add(new Phase("z" + l, true, l, allReduce(h, layout.levelsOf(l, Choice.MP), z)));
      if (l < n - 1) {
        Split[] src = splits(layout, l, Split.WHOLE);
        Split[] dst = splits(layout, l + 1, Split.COLS);
        out.add(new Phase("f" + l, false, l, exchange(layout, src, dst, layout.width(l + 1))));
      }
    }
    for (int l = n - 1; l >= 0; l--) {
      int mp = layout.levelsOf(l, Choice.MP).size();
      long w = (long) (layout.width(l) >> mp) * layout.width(l + 1);
      out.add(new Phase("w" + l, true, l, allReduce(h, layout.levelsOf(l, Choice.DP), w)));
      if (l > 0) {
        Split[] src = splits(layout, l, Split.COLS);
        Split[] dst = splits(layout, l - 1, Split.WHOLE);
        out.add(new Phase("e" + l, false, l - 1, exchange(layout, src, dst, layout.width(l))));
      }
    }
    return new ExactComm(h, out);
  }

  /** Elements all workers send per step. */
  public long elements() {
    return phases.stream().mapToLong(Phase::elements).sum();
  }

  /** Bytes all workers send per step (32-bit values): what the live check's payload should be. */
  public long bytes() {
    return 4 * elements();
  }

  /** Elements crossing level Hh's links, per level (index h-1). */
  public long[] levelElements() {
    long[] t = new long[depth];
    for (Phase p : phases) {
      for (int i = 0; i < depth; i++) {
        t[i] += p.levelElements()[i];
      }
    }
    return t;
  }

  /**
   * Layer l's matrix layout per level: batch rows split where l is data parallel; where it is model
   * parallel, {@code mp} (columns split for its input and input error, whole for its outputs).
   */
  private static Split[] splits(MlpLayout layout, int l, Split mp) {
    Split[] s = new Split[layout.depth()];
    for (int h = 1; h <= layout.depth(); h++) {
      s[h - 1] = layout.levels().get(h - 1).get(l) == Choice.DP ? Split.ROWS : mp;
    }
    return s;
  }

  private static List<Integer> levels(Split[] s, Split which) {
    List<Integer> out = new ArrayList<>();
    for (int h = 1; h <= s.length; h++) {
      if (s[h - 1] == which) {
        out.add(h);
      }
    }
    return out;
  }

  /**
   * Moving a batch x {@code width} matrix from layout {@code src} to {@code dst}. The batch is in
   * {@code 2^H} row blocks whose index bits are read as levels (as {@link MlpLayout#rows}); columns
   * split over levels as {@link MlpLayout#block}.
   */
  static long[] exchange(MlpLayout layout, Split[] src, Split[] dst, int width) {
    int depth = layout.depth();
    long per = layout.batch() >> depth;
    List<Integer> srcRows = levels(src, Split.ROWS);
    List<Integer> srcCols = levels(src, Split.COLS);
    List<Integer> dstRows = levels(dst, Split.ROWS);
    List<Integer> dstCols = levels(dst, Split.COLS);
    long[] out = new long[depth];
    for (int t = 0; t < layout.workers(); t++) {
      Range need = MlpLayout.block(width, dstCols, bits(layout, t, dstCols));
      for (int b = 0; b < layout.workers(); b++) {
        if (!agrees(layout, b, t, dstRows)) {
          continue; // row block b is not in t's needed rows
        }
        for (int j = 0; j < (1 << srcCols.size()); j++) {
          Range got = MlpLayout.block(width, srcCols, j).intersect(need);
          if (got.isEmpty()) {
            continue;
          }
          int s = layout.withBlock(t, srcRows, bits(layout, b, srcRows));
          s = layout.withBlock(s, srcCols, j);
          if (s != t) {
            out[firstDifference(layout, s, t) - 1] += per * got.size();
          }
        }
      }
    }
    return out;
  }

  /**
   * Summing an {@code n}-element buffer over {@code levels} on every group of workers that differ
   * only there, by recursive halving from the deepest level up and doubling back down (as {@link
   * Collectives#allReduce}).
   */
  static long[] allReduce(int depth, List<Integer> levels, long n) {
    List<Integer> order = new ArrayList<>(levels);
    order.sort(java.util.Comparator.reverseOrder());
    long[] out = new long[depth];
    halve(order, 0, n, out);
    long groups = 1L << (depth - levels.size());
    for (int i = 0; i < depth; i++) {
      out[i] *= groups;
    }
    return out;
  }

  /**
   * One group of {@code 2^k} workers ({@code k} levels left) sharing a range of {@code m}: each of
   * the {@code 2^(k-1)} pairs at the next level sends {@code m} in all on the way up (the halves
   * the partners keep) and {@code m} on the way down; then each half goes on with its part.
   */
  private static void halve(List<Integer> order, int i, long m, long[] out) {
    if (i == order.size() || m == 0) {
      return;
    }
    int k = order.size() - i;
    out[order.get(i) - 1] += (1L << k) * m;
    halve(order, i + 1, m / 2, out);
    halve(order, i + 1, m - m / 2, out);
  }

  /** {@code x}'s bits at {@code levels} as a block index (first level most significant). */
  private static int bits(MlpLayout layout, int x, List<Integer> levels) {
    int idx = 0;
    for (int h : levels) {
      idx = (idx << 1) | layout.bit(x, h);
    }
    return idx;
  }

  private static boolean agrees(MlpLayout layout, int a, int b, List<Integer> levels) {
    for (int h : levels) {
      if (layout.bit(a, h) != layout.bit(b, h)) {
        return false;
      }
    }
    return true;
  }

  /** The highest level (smallest h) at which ranks a and b differ. */
  static int firstDifference(MlpLayout layout, int a, int b) {
    for (int h = 1; h <= layout.depth(); h++) {
      if (layout.bit(a, h) != layout.bit(b, h)) {
        return h;
      }
    }
    throw new IllegalArgumentException("ranks " + a + " and " + b + " are the same");
  }
}
