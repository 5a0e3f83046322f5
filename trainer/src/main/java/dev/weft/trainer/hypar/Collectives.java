package dev.weft.trainer.hypar;

import dev.weft.trainer.comm.Message;
import dev.weft.trainer.comm.PeerNetwork;
import dev.weft.trainer.hypar.MlpLayout.Range;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The two communication patterns of a HyPar step, over the trainer's {@link PeerNetwork}.
 *
 * <p>{@link #allReduce} adds partial sums (weight gradients of a data-parallel layer, outputs of a
 * model-parallel one) across some hierarchy levels: reduce-scatter by recursive halving from the
 * deepest level up, then all-gather back down. A worker sends {@code n/2} values per level each way
 * at the deepest level, {@code n/4} at the next, ..., which is exactly what the model charges each
 * level (A(·) after the levels above halved the tensor).
 *
 * <p>{@link #exchange} moves a matrix from one layout to another: every worker knows which blocks
 * it needs and from whom (see {@link HyParMlp}'s forward and backward needs), and every owner works
 * out the same list, so no requests travel.
 */
public final class Collectives {

  private Collectives() {}

  /** Some rows (ascending global indices) and a column range of a larger row-major matrix. */
  public record Block(int[] rows, Range cols, float[] data) {
    public Block {
      if (data.length != rows.length * cols.size()) {
        throw new IllegalArgumentException("block data does not match its rows and columns");
      }
    }

    public static Block zeros(int[] rows, Range cols) {
      return new Block(rows, cols, new float[rows.length * cols.size()]);
    }

    private int local(int row) {
      int i = Arrays.binarySearch(rows, row);
      if (i < 0) {
        throw new IllegalStateException("row " + row + " is not in this block");
      }
      return i;
    }

    /** A copy of the sub-block at rows {@code r}, columns {@code c}. */
    public float[] extract(int[] r, Range c) {
      float[] out = new float[r.length * c.size()];
      for (int i = 0; i < r.length; i++) {
        System.arraycopy(
            data,
            local(r[i]) * cols.size() + c.start() - cols.start(),
            out,
            i * c.size(),
            c.size());
      }
      return out;
    }

    /** Writes {@code src} into the sub-block at rows {@code r}, columns {@code c}. */
    public void place(int[] r, Range c, float[] src) {
      for (int i = 0; i < r.length; i++) {
        System.arraycopy(
            src,
            i * c.size(),
            data,
            local(r[i]) * cols.size() + c.start() - cols.start(),
            c.size());
      }
    }
  }

  /** A piece of a worker's needed block and the worker that has it. */
  public record Piece(int owner, int[] rows, Range cols) {}

  /** Which pieces worker {@code rank} needs, in an order every worker computes the same way. */
  @FunctionalInterface
  public interface Needs {
    List<Piece> of(int rank);
  }

  /**
   * Sums {@code buf} over the workers that differ from this one only at {@code levels} (from 1);
   * every one of them ends with the same sum.
   */
  public static void allReduce(
      PeerNetwork net,
      int depth,
      List<Integer> levels,
      float[] buf,
      String tag,
      long seq,
      Duration timeout) {
    List<Integer> order = new ArrayList<>(levels);
    order.sort(Comparator.reverseOrder());
    int rank = net.rank();
    int lo = 0;
    int hi = buf.length;
    int[][] kept = new int[order.size()][];
    for (int i = 0; i < order.size(); i++) {
      int shift = depth - order.get(i);
      int partner = rank ^ (1 << shift);
      int mid = lo + (hi - lo) / 2;
      boolean lower = ((rank >>> shift) & 1) == 0;
      int sendLo = lower ? mid : lo;
      int sendHi = lower ? hi : mid;
      kept[i] = new int[] {lo, hi};
      lo = lower ? lo : mid;
      hi = lower ? mid : hi;
      String t = tag + ".rs" + i;
      if (sendHi > sendLo) {
        net.send(partner, t, seq, buf, sendLo, sendHi - sendLo);
      }
      if (hi > lo) {
        float[] in = net.receive(partner, t, timeout).expectSeq(seq).expectLength(hi - lo).data();
        for (int k = 0; k < in.length; k++) {
          buf[lo + k] += in[k];
        }
      }
    }
    for (int i = order.size() - 1; i >= 0; i--) {
      int shift = depth - order.get(i);
      int partner = rank ^ (1 << shift);
      String t = tag + ".ag" + i;
      if (hi > lo) {
        net.send(partner, t, seq, buf, lo, hi - lo);
      }
      int plo = kept[i][0];
      int phi = kept[i][1];
      int otherLo = lo == plo ? hi : plo;
      int otherHi = lo == plo ? phi : lo;
      if (otherHi > otherLo) {
        Message m = net.receive(partner, t, timeout).expectSeq(seq).expectLength(otherHi - otherLo);
        System.arraycopy(m.data(), 0, buf, otherLo, otherHi - otherLo);
      }
      lo = plo;
      hi = phi;
    }
  }

  /**
   * Fills {@code dest} (this worker's needed block) from {@code source} blocks held across the
   * workers, sending what others need from this worker's {@code source}.
   */
  public static void exchange(
      PeerNetwork net,
      Needs needs,
      Block source,
      Block dest,
      String tag,
      long seq,
      Duration timeout) {
    int rank = net.rank();
    for (int t = 0; t < net.size(); t++) {
      if (t == rank) {
        continue;
      }
      List<Piece> ps = needs.of(t);
      for (int i = 0; i < ps.size(); i++) {
        Piece p = ps.get(i);
        if (p.owner() == rank) {
          net.send(t, tag + "." + i, seq, source.extract(p.rows(), p.cols()));
        }
      }
    }
    List<Piece> mine = needs.of(rank);
    for (int i = 0; i < mine.size(); i++) {
      Piece p = mine.get(i);
      float[] data =
          p.owner() == rank
              ? source.extract(p.rows(), p.cols())
              : net.receive(p.owner(), tag + "." + i, timeout)
                  .expectSeq(seq)
                  .expectLength(p.rows().length * p.cols().size())
                  .data();
      dest.place(p.rows(), p.cols(), data);
    }
  }
}
