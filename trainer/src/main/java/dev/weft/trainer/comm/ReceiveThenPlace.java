package dev.weft.trainer.comm;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link InPlaceReceives} on any network: each await receives the message as usual, then adds or
 * copies it into its region and recycles it. The default of {@link PeerNetwork#inPlace}.
 */
public final class ReceiveThenPlace implements InPlaceReceives {

  private record Region(int offset, int length, boolean add) {}

  private final PeerNetwork net;
  private final int from;
  private final float[] dest;
  private final Map<String, Region> expected = new HashMap<>();

  public ReceiveThenPlace(PeerNetwork net, int from, float[] dest) {
    this.net = net;
    this.from = from;
    this.dest = dest;
  }

  @Override
  public void expect(String tag, long seq, int offset, int length, boolean add) {
    checkRegion(dest, offset, length);
    expected.put(tag + '@' + seq, new Region(offset, length, add));
  }

  @Override
  public void await(String tag, long seq, Duration timeout) {
    Region r = expected.remove(tag + '@' + seq);
    if (r == null) {
      throw new IllegalStateException("'" + tag + "' seq " + seq + " was not announced");
    }
    Message m = net.receive(from, tag, timeout).expectSeq(seq).expectLength(r.length());
    place(m.data(), 0, dest, r.offset(), r.length(), r.add());
    net.recycle(m);
  }

  /** Throws {@link IllegalArgumentException} unless {@code [offset, offset+length)} is in dest. */
  public static void checkRegion(float[] dest, int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > dest.length) {
      throw new IllegalArgumentException(
          "region [" + offset + ", " + (offset + length) + ") outside " + dest.length + " values");
    }
  }

  /** Adds {@code src[from, from+n)} to, or copies it over, {@code dest[offset, offset+n)}. */
  public static void place(float[] src, int from, float[] dest, int offset, int n, boolean add) {
    if (add) {
      for (int i = 0; i < n; i++) {
        dest[offset + i] += src[from + i];
      }
    } else {
      System.arraycopy(src, from, dest, offset, n);
    }
  }

  @Override
  public void close() {
    expected.clear();
  }
}
