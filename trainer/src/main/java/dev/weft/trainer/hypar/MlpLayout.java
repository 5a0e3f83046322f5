package dev.weft.trainer.hypar;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each piece of a HyPar-partitioned MLP lives on {@code 2^H} workers. Worker {@code rank}'s
 * bit for level Hh is bit {@code H-h} of the rank, so H1 splits ranks into the lower and upper
 * half. For layer l, the levels where it is data parallel split the batch (block index: those bits,
 * H1 most significant) and the levels where it is model parallel split its input features, i.e. the
 * rows of its weight matrix.
 *
 * @param widths features per layer boundary: {@code widths[0]} inputs, {@code widths[L]} classes
 * @param batch samples per step over all workers
 * @param levels {@code levels.get(h-1).get(l)}: layer l's choice at level Hh
 */
public record MlpLayout(int[] widths, int batch, List<List<Choice>> levels) {

  /** A half-open index range. */
  public record Range(int start, int end) {
    public int size() {
      return end - start;
    }

    public Range intersect(Range o) {
      return new Range(Math.max(start, o.start), Math.min(end, o.end));
    }

    public boolean isEmpty() {
      return end <= start;
    }
  }

  public MlpLayout {
    widths = widths.clone();
    levels = levels.stream().map(List::copyOf).toList();
    if (widths.length < 2) {
      throw new IllegalArgumentException("an MLP needs at least one layer");
    }
    if (levels.isEmpty()) {
      throw new IllegalArgumentException("a partition needs at least one level");
    }
    for (List<Choice> cs : levels) {
      if (cs.size() != widths.length - 1) {
        throw new IllegalArgumentException(
            "a level has " + cs.size() + " choices for " + (widths.length - 1) + " layers");
      }
    }
    if (batch % (1 << levels.size()) != 0) {
      throw new IllegalArgumentException(
          "batch " + batch + " does not split into " + (1 << levels.size()) + " equal blocks");
    }
    for (int l = 0; l < widths.length - 1; l++) {
      int dp = 0;
      for (List<Choice> cs : levels) {
        dp += cs.get(l) == Choice.DP ? 1 : 0;
      }
      int mp = levels.size() - dp;
      if (widths[l] % (1 << mp) != 0) {
        throw new IllegalArgumentException(
            "layer " + l + "'s " + widths[l] + " inputs do not split into " + (1 << mp) + " parts");
      }
    }
  }

  public static MlpLayout of(Network net, Plan plan) {
    int[] w = new int[net.size() + 1];
    for (int l = 0; l < net.size(); l++) {
      Layer layer = net.layers().get(l);
      if (layer.kind() != Layer.Kind.FC) {
        throw new IllegalArgumentException(
            "layer '" + layer.name() + "' is convolutional; the live check runs MLPs only");
      }
      w[l] = layer.in().channels();
      w[l + 1] = layer.out().channels();
    }
    return new MlpLayout(w, net.batch(), plan.levels());
  }

  public int depth() {
    return levels.size();
  }

  public int workers() {
    return 1 << depth();
  }

  public int layers() {
    return widths.length - 1;
  }

  public int width(int i) {
    return widths[i];
  }

  /** Worker {@code rank}'s bit at level Hh (h from 1). */
  public int bit(int rank, int h) {
    return (rank >>> (depth() - h)) & 1;
  }

  /** Levels (from 1, H1 first) where layer l is chosen {@code c}. */
  public List<Integer> levelsOf(int l, Choice c) {
    List<Integer> out = new ArrayList<>();
    for (int h = 1; h <= depth(); h++) {
      if (levels.get(h - 1).get(l) == c) {
        out.add(h);
      }
    }
    return out;
  }

  private int blockIndex(int rank, List<Integer> ls) {
    int idx = 0;
    for (int h : ls) {
      idx = (idx << 1) | bit(rank, h);
    }
    return idx;
  }

  /** {@code rank} with its bits at levels {@code ls} replaced by block index {@code idx}. */
  public int withBlock(int rank, List<Integer> ls, int idx) {
    int r = rank;
    for (int i = 0; i < ls.size(); i++) {
      int b = (idx >>> (ls.size() - 1 - i)) & 1;
      int shift = depth() - ls.get(i);
      r = (r & ~(1 << shift)) | (b << shift);
    }
    return r;
  }

  /**
   * Batch rows layer l works on at {@code rank}, ascending. The batch is cut into {@code 2^H}
   * blocks whose index bits are read as levels (H1 most significant); layer l holds the blocks
   * whose bits at its data-parallel levels equal the worker's. Two layers that are both data
   * parallel at a level therefore split the batch the same way there, which is what the model's
   * free dp→dp transition assumes (contiguous halves per layer would not line up).
   */
  public int[] rows(int l, int rank) {
    List<Integer> dp = levelsOf(l, Choice.DP);
    int per = batch >> depth();
    int[] out = new int[batch >> dp.size()];
    int k = 0;
    for (int block = 0; block < workers(); block++) {
      boolean mine = true;
      for (int h : dp) {
        mine &= bit(block, h) == bit(rank, h);
      }
      if (mine) {
        for (int i = 0; i < per; i++) {
          out[k++] = block * per + i;
        }
      }
    }
    return out;
  }

  /** Input features of layer l (rows of its weight) held at {@code rank}. */
  public Range cols(int l, int rank) {
    return block(widths[l], levelsOf(l, Choice.MP), blockIndex(rank, levelsOf(l, Choice.MP)));
  }

  /** Block {@code idx} of {@code n} split over the given levels. */
  public static Range block(int n, List<Integer> ls, int idx) {
    int size = n >> ls.size();
    return new Range(idx * size, (idx + 1) * size);
  }
}
