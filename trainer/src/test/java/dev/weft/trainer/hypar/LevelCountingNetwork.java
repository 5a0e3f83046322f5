package dev.weft.trainer.hypar;

import dev.weft.trainer.comm.ForwardingPeerNetwork;
import dev.weft.trainer.comm.PeerNetwork;

/**
 * A {@link PeerNetwork} that passes everything to another and counts the payload bytes it sends by
 * the highest H-tree level at which this worker and the receiver differ (the level's link the
 * message crosses).
 */
final class LevelCountingNetwork extends ForwardingPeerNetwork {

  private final MlpLayout layout;
  private final long[] levelBytes;

  LevelCountingNetwork(PeerNetwork inner, MlpLayout layout) {
    super(inner);
    this.layout = layout;
    this.levelBytes = new long[layout.depth()];
  }

  /** Bytes sent so far across level Hh's links, at index h-1. */
  long[] levelBytes() {
    return levelBytes.clone();
  }

  @Override
  public void send(int to, String tag, long seq, float[] data, int offset, int length) {
    levelBytes[ExactComm.firstDifference(layout, rank(), to) - 1] += 4L * length;
    inner.send(to, tag, seq, data, offset, length);
  }
}
