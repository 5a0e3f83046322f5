package dev.weft.trainer.algo;

import dev.weft.trainer.comm.InPlaceReceives;
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
    // Every receive is announced before anything is sent, so that a transport can add each
    // arriving chunk into buf (or copy it there) as it arrives. Safe although the chunks of later
    // steps land while earlier ones are still being sent: each step's region is written only by
    // its own receive, and a region's all-gather value can only arrive after this rank sent its
    // own contribution to it.
    try (InPlaceReceives in = net.inPlace(left, buf)) {
      for (int s = 0; s < steps; s++) {
        int seg = segment(s, pos, n);
        int c = 0;
        for (int off = segStart[seg]; off < segStart[seg + 1]; off += chunk, c++) {
          int len = Math.min(chunk, segStart[seg + 1] - off);
          in.expect(laneTag(tag, c), s * SEQ_STRIDE + c, off, len, s < n - 1);
        }
      }
      sendSegment(net, right, tag, 0, buf, segStart, pos, chunk);
      for (int s = 0; s < steps; s++) {
        int seg = segment(s, pos, n);
        int c = 0;
        for (int off = segStart[seg]; off < segStart[seg + 1]; off += chunk, c++) {
          int len = Math.min(chunk, segStart[seg + 1] - off);
          in.await(laneTag(tag, c), s * SEQ_STRIDE + c, timeout);
          if (s + 1 < steps) {
            net.send(right, laneTag(tag, c), (s + 1) * SEQ_STRIDE + c, buf, off, len);
          }
        }
      }
    }
  }

  /**
   * The segment received at step {@code s}: reduce-scatter steps add the left neighbour's partial
   * sums of segments pos-1, pos-2, ...; all-gather steps copy finished segments pos, pos-1, ...
   */
  private static int segment(int s, int pos, int n) {
    return Math.floorMod(s < n - 1 ? pos - s - 1 : pos - (s - (n - 1)), n);
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
