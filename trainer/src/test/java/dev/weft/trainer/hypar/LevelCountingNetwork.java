package dev.weft.trainer.hypar;

import dev.weft.trainer.comm.Clock;
import dev.weft.trainer.comm.Message;
import dev.weft.trainer.comm.PeerNetwork;
import java.time.Duration;

/**
 * A {@link PeerNetwork} that passes everything to another and counts the payload bytes it sends by
 * the highest H-tree level at which this worker and the receiver differ (the level's link the
 * message crosses).
 */
final class LevelCountingNetwork implements PeerNetwork {

  private final PeerNetwork inner;
  private final MlpLayout layout;
  private final long[] levelBytes;

  LevelCountingNetwork(PeerNetwork inner, MlpLayout layout) {
    this.inner = inner;
    this.layout = layout;
    this.levelBytes = new long[layout.depth()];
  }

  /** Bytes sent so far across level Hh's links, at index h-1. */
  long[] levelBytes() {
    return levelBytes.clone();
  }

  @Override
  public int rank() {
    return inner.rank();
  }

  @Override
  public int size() {
    return inner.size();
  }

  @Override
  public void send(int to, String tag, long seq, float[] data, int offset, int length) {
    levelBytes[ExactComm.firstDifference(layout, rank(), to) - 1] += 4L * length;
    inner.send(to, tag, seq, data, offset, length);
  }

  @Override
  public Message receive(int from, String tag, Duration timeout) {
    return inner.receive(from, tag, timeout);
  }

  @Override
  public Message receiveAny(String tag, Duration timeout) {
    return inner.receiveAny(tag, timeout);
  }

  @Override
  public long bytesSent() {
    return inner.bytesSent();
  }

  @Override
  public Clock clock() {
    return inner.clock();
  }

  @Override
  public void close() {
    inner.close();
  }
}
