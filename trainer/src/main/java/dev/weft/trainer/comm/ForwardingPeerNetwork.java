package dev.weft.trainer.comm;

import java.time.Duration;
import java.util.Set;

/**
 * A {@link PeerNetwork} that passes every call to another one. Wrappers that change one aspect
 * (delay sends, count bytes, report deaths) extend it and override only that.
 */
public abstract class ForwardingPeerNetwork implements PeerNetwork {

  /** The network calls are passed to. */
  protected final PeerNetwork inner;

  protected ForwardingPeerNetwork(PeerNetwork inner) {
    this.inner = inner;
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

  /**
   * The inner network's, so that a wrapped transport keeps placing messages in place; a wrapper
   * that changes how messages are received must override this too.
   */
  @Override
  public InPlaceReceives inPlace(int from, float[] dest) {
    return inner.inPlace(from, dest);
  }

  @Override
  public void recycle(Message m) {
    inner.recycle(m);
  }

  @Override
  public Set<Integer> deadPeers() {
    return inner.deadPeers();
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
