package dev.weft.trainer.hypar;

import dev.weft.trainer.comm.PeerNetwork;
import dev.weft.trainer.hypar.Collectives.Block;
import dev.weft.trainer.hypar.Collectives.Piece;
import dev.weft.trainer.hypar.MlpLayout.Range;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One worker of an MLP trained under a HyPar partition, written against the trainer's {@link
 * PeerNetwork} so it runs over gRPC between JVMs or in-process. Per layer and level, data
 * parallelism splits the batch and adds weight gradients; model parallelism splits the weight's
 * input rows and adds partial outputs; between layers, activations and errors move to the next
 * layer's layout. Same mathematics as {@link DenseMlp}, whose gradients it must reproduce.
 */
public final class HyParMlp {

  private final MlpLayout layout;
  private final int rank;
  private final float lr;
  private final float[][] weights; // layer l: rows cols(l, rank) of W_l, all output columns

  public HyParMlp(MlpLayout layout, int rank, float[][] fullWeights, float lr) {
    this.layout = layout;
    this.rank = rank;
    this.lr = lr;
    this.weights = new float[layout.layers()][];
    for (int l = 0; l < layout.layers(); l++) {
      Range c = layout.cols(l, rank);
      int n = layout.width(l + 1);
      weights[l] = new float[c.size() * n];
      System.arraycopy(fullWeights[l], c.start() * n, weights[l], 0, weights[l].length);
    }
  }

  /** This worker's slice of each layer's weight gradient after a step: rows and values. */
  public record Gradients(List<Range> rows, float[][] values) {}

  /**
   * One training step. {@code x} and {@code labels} are the whole batch (every worker derives them
   * from the same seed and reads only its part, as if the data loader had sharded them).
   */
  public Gradients step(PeerNetwork net, float[] x, int[] labels, long seq, Duration timeout) {
    int n = layout.layers();
    int depth = layout.depth();
    Block[] in = new Block[n];
    int[] r0 = layout.rows(0, rank);
    Range c0 = layout.cols(0, rank);
    int[] everyRow = java.util.stream.IntStream.range(0, layout.batch()).toArray();
    Block all0 = new Block(everyRow, new Range(0, layout.width(0)), x);
    in[0] = new Block(r0, c0, all0.extract(r0, c0));
    Block out = null;
    for (int l = 0; l < n; l++) {
      int[] rows = layout.rows(l, rank);
      Range all = new Range(0, layout.width(l + 1));
      float[] z =
          DenseMlp.matmul(in[l].data(), weights[l], rows.length, in[l].cols().size(), all.size());
      Collectives.allReduce(net, depth, layout.levelsOf(l, Choice.MP), z, "z" + l, seq, timeout);
      out = new Block(rows, all, z);
      if (l < n - 1) {
        for (int i = 0; i < z.length; i++) {
          z[i] = Math.max(0f, z[i]);
        }
        int next = l + 1;
        in[next] = Block.zeros(layout.rows(next, rank), layout.cols(next, rank));
        Collectives.exchange(net, t -> forwardNeeds(next, t), out, in[next], "f" + l, seq, timeout);
      }
    }
    int[] lastRows = layout.rows(n - 1, rank);
    int[] ys = new int[lastRows.length];
    for (int i = 0; i < ys.length; i++) {
      ys[i] = labels[lastRows[i]];
    }
    float[] e = DenseMlp.softmaxGrad(out.data(), ys, ys.length, layout.width(n), layout.batch());
    Block err = new Block(lastRows, out.cols(), e);
    List<Range> gradRows = new ArrayList<>();
    float[][] grads = new float[n][];
    for (int l = n - 1; l >= 0; l--) {
      Block x_l = in[l];
      int m = x_l.rows().length;
      float[] g =
          DenseMlp.matmulTa(x_l.data(), err.data(), m, x_l.cols().size(), layout.width(l + 1));
      Collectives.allReduce(net, depth, layout.levelsOf(l, Choice.DP), g, "w" + l, seq, timeout);
      grads[l] = g;
      if (l > 0) {
        float[] dx =
            DenseMlp.matmulTb(err.data(), weights[l], m, layout.width(l + 1), x_l.cols().size());
        for (int i = 0; i < dx.length; i++) {
          if (x_l.data()[i] <= 0) {
            dx[i] = 0;
          }
        }
        Block src = new Block(x_l.rows(), x_l.cols(), dx);
        int prev = l - 1;
        Block dst = Block.zeros(layout.rows(prev, rank), new Range(0, layout.width(l)));
        Collectives.exchange(net, t -> backwardNeeds(prev, t), src, dst, "e" + l, seq, timeout);
        err = dst;
      }
      for (int i = 0; i < g.length; i++) {
        weights[l][i] -= lr * g[i];
      }
    }
    for (int l = 0; l < n; l++) {
      gradRows.add(layout.cols(l, rank));
    }
    return new Gradients(gradRows, grads);
  }

  /**
   * Worker t's input block of layer {@code next} from layer {@code next-1}'s outputs, which are
   * split by batch at that layer's data-parallel levels and whole elsewhere: each row comes from t
   * itself when t holds it, else from the worker that differs from t only at those levels.
   */
  List<Piece> forwardNeeds(int next, int t) {
    List<Integer> dp = layout.levelsOf(next - 1, Choice.DP);
    Range cols = layout.cols(next, t);
    return group(layout.rows(next, t), row -> withRowBits(t, row, dp), o -> cols);
  }

  /**
   * Worker t's error block for layer {@code prev}'s outputs (its batch rows, every column) from
   * layer {@code prev+1}'s input errors, which are split at every level, so each piece has exactly
   * one owner.
   */
  List<Piece> backwardNeeds(int prev, int t) {
    int l = prev + 1;
    List<Integer> dp = layout.levelsOf(l, Choice.DP);
    List<Integer> mp = layout.levelsOf(l, Choice.MP);
    List<Piece> out = new ArrayList<>();
    for (int j = 0; j < (1 << mp.size()); j++) {
      int colBlock = j;
      Range cols = MlpLayout.block(layout.width(l), mp, j);
      out.addAll(
          group(
              layout.rows(prev, t),
              row -> layout.withBlock(withRowBits(t, row, dp), mp, colBlock),
              o -> cols));
    }
    return out;
  }

  /** {@code rank} with its bits at {@code levels} taken from the batch block of {@code row}. */
  private int withRowBits(int rank, int row, List<Integer> levels) {
    int block = row / (layout.batch() >> layout.depth());
    int r = rank;
    for (int h : levels) {
      int shift = layout.depth() - h;
      r = (r & ~(1 << shift)) | (layout.bit(block, h) << shift);
    }
    return r;
  }

  /** Rows grouped by owner (ascending owners, rows in order): one piece per owner. */
  private static List<Piece> group(
      int[] rows,
      java.util.function.IntUnaryOperator owner,
      java.util.function.IntFunction<Range> cols) {
    java.util.TreeMap<Integer, List<Integer>> by = new java.util.TreeMap<>();
    for (int row : rows) {
      by.computeIfAbsent(owner.applyAsInt(row), k -> new ArrayList<>()).add(row);
    }
    List<Piece> out = new ArrayList<>();
    by.forEach(
        (o, rs) ->
            out.add(
                new Piece(o, rs.stream().mapToInt(Integer::intValue).toArray(), cols.apply(o))));
    return out;
  }
}
