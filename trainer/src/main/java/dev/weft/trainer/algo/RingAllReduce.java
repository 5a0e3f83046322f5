package dev.weft.trainer.algo;

import dev.weft.trainer.comm.Message;
import dev.weft.trainer.comm.PeerNetwork;
import java.time.Duration;

/**
 * Bandwidth-optimal ring All-Reduce (sum) over a group of ranks: N-1 reduce-scatter steps then N-1
 * all-gather steps, each moving one N-th of the buffer, so every member sends 2(N-1)/N of it in
 * total. Segments travel in chunks, and each received chunk is reduced and forwarded to the next
 * member at once, so a step's transfer overlaps the previous step's (pipelining) instead of waiting
 * for whole segments.
 *
 * <p>Works on any group containing this rank (Ripples' partial all-reduce reuses it).
 */
public final class RingAllReduce {

  /** Sequence numbers are {@code step * SEQ_STRIDE + chunk}. */
  private static final long SEQ_STRIDE = 1L << 32;

  /**
   * Chunk c travels under tag {@code tag#(c mod LANES)}: transports may carry the lanes on parallel
   * connections, and each lane stays in order because a lane's chunks are sent and received in the
   * same (step, chunk) order.
   */
  private static final int LANES = 4;

  private RingAllReduce() {}

  /**
   * Replaces {@code buf} on every member with the element-wise sum over the members.
   *
   * @param members ranks of the group in ring order; must contain {@code net.rank()}
   * @param tag unique per collective call (e.g. {@code "ar/" + iteration})
   */
  public static void sum(
      PeerNetwork net, int[] members, String tag, float[] buf, int chunk, Duration timeout) {
    int n = members.length;
    int pos = indexOf(members, net.rank());
    if (n == 1) {
      return;
    }
    int right = members[(pos + 1) % n];
    int left = members[(pos - 1 + n) % n];
    int steps = 2 * (n - 1);
    int[] segStart = new int[n + 1];
    for (int i = 0; i <= n; i++) {
      segStart[i] = (int) ((long) buf.length * i / n);
    }
    sendSegment(net, right, tag, 0, buf, segStart, pos, chunk);
    for (int s = 0; s < steps; s++) {
      boolean reduce = s < n - 1;
      int seg = Math.floorMod(reduce ? pos - s - 1 : pos - (s - (n - 1)), n);
      int c = 0;
      for (int off = segStart[seg]; off < segStart[seg + 1]; off += chunk, c++) {
        int len = Math.min(chunk, segStart[seg + 1] - off);
        Message m =
            net.receive(left, laneTag(tag, c), timeout)
                .expectSeq(s * SEQ_STRIDE + c)
                .expectLength(len);
        float[] in = m.data();
        if (reduce) {
          for (int i = 0; i < len; i++) {
            buf[off + i] += in[i];
          }
        } else {
          System.arraycopy(in, 0, buf, off, len);
        }
        if (s + 1 < steps) {
          net.send(right, laneTag(tag, c), (s + 1) * SEQ_STRIDE + c, buf, off, len);
        }
      }
    }
  }

  /** Element-wise mean over all {@code net.size()} ... of the given members. */
  public static void mean(
      PeerNetwork net, int[] members, String tag, float[] buf, int chunk, Duration timeout) {
    sum(net, members, tag, buf, chunk, timeout);
    float inv = 1f / members.length;
    for (int i = 0; i < buf.length; i++) {
      buf[i] *= inv;
    }
  }

  /** Ranks {@code 0 .. n-1}. */
  public static int[] firstRanks(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }

  private static void sendSegment(
      PeerNetwork net,
      int to,
      String tag,
      int step,
      float[] buf,
      int[] segStart,
      int seg,
      int chunk) {
    int c = 0;
    for (int off = segStart[seg]; off < segStart[seg + 1]; off += chunk, c++) {
      net.send(
          to,
          laneTag(tag, c),
          step * SEQ_STRIDE + c,
          buf,
          off,
          Math.min(chunk, segStart[seg + 1] - off));
    }
  }

  private static String laneTag(String tag, int chunk) {
    return tag + "#" + (chunk % LANES);
  }

  private static int indexOf(int[] members, int rank) {
    for (int i = 0; i < members.length; i++) {
      if (members[i] == rank) {
        return i;
      }
    }
    throw new IllegalArgumentException("rank " + rank + " is not in the all-reduce group");
  }
}
