package dev.weft.trainer.comm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Peers that are threads of one process: a send copies the slice straight into the receiver's
 * {@link Mailbox}. Used by algorithm tests and as the base of the simulated transport.
 */
public final class LocalNetwork {

  private final List<Mailbox> mailboxes = new ArrayList<>();
  private final Clock clock;

  public LocalNetwork(int size, Clock clock) {
    if (size < 1) {
      throw new IllegalArgumentException("size " + size);
    }
    for (int r = 0; r < size; r++) {
      mailboxes.add(new Mailbox(r));
    }
    this.clock = clock;
  }

  public int size() {
    return mailboxes.size();
  }

  /** The endpoint of {@code rank}. */
  public PeerNetwork peer(int rank) {
    return new Endpoint(rank);
  }

  private final class Endpoint implements PeerNetwork {
    private final int rank;
    private final AtomicLong bytes = new AtomicLong();

    Endpoint(int rank) {
      this.rank = rank;
    }

    @Override
    public int rank() {
      return rank;
    }

    @Override
    public int size() {
      return mailboxes.size();
    }

    @Override
    public void send(int to, String tag, long seq, float[] data, int offset, int length) {
      if (to < 0 || to >= mailboxes.size() || to == rank) {
        throw new IllegalArgumentException("rank " + rank + " cannot send to " + to);
      }
      float[] copy = new float[length];
      System.arraycopy(data, offset, copy, 0, length);
      bytes.addAndGet(4L * length);
      mailboxes.get(to).deliver(new Message(rank, tag, seq, copy));
    }

    @Override
    public Message receive(int from, String tag, Duration timeout) {
      return mailboxes.get(rank).take(from, tag, timeout);
    }

    @Override
    public Message receiveAny(String tag, Duration timeout) {
      return mailboxes.get(rank).take(-1, tag, timeout);
    }

    @Override
    public long bytesSent() {
      return bytes.get();
    }

    @Override
    public Clock clock() {
      return clock;
    }

    @Override
    public void close() {
      mailboxes.get(rank).fail(new TrainingException("rank " + rank + " closed its network"));
    }
  }
}
