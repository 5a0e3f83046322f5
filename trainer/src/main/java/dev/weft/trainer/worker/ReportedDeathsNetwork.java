package dev.weft.trainer.worker;

import dev.weft.trainer.comm.Clock;
import dev.weft.trainer.comm.Message;
import dev.weft.trainer.comm.PeerNetwork;
import java.time.Duration;
import java.util.Set;

/**
 * A worker's network plus the deaths the coordinator reported on heartbeats, so that fault-tolerant
 * algorithms see which peers are gone ({@link PeerNetwork#deadPeers}).
 */
final class ReportedDeathsNetwork implements PeerNetwork {

  private final PeerNetwork inner;
  private final Set<Integer> dead;

  ReportedDeathsNetwork(PeerNetwork inner, Set<Integer> dead) {
    this.inner = inner;
    this.dead = dead;
  }

  @Override
  public Set<Integer> deadPeers() {
    return Set.copyOf(dead);
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
