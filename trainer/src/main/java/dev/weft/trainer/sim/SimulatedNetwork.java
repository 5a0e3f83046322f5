package dev.weft.trainer.sim;

import dev.weft.trainer.comm.Clock;
import dev.weft.trainer.comm.Mailbox;
import dev.weft.trainer.comm.Message;
import dev.weft.trainer.comm.PeerNetwork;
import dev.weft.trainer.comm.PeerUnreachableException;
import dev.weft.trainer.comm.TrainingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Peers that are fibers of one {@link VirtualScheduler}: a send computes when the message would
 * arrive under the {@link NetworkModel} and schedules its delivery into the receiver's {@link
 * Mailbox} at that virtual time; a receive with nothing to take waits on the virtual clock. Receive
 * semantics are the mailbox's, so they are the same as over gRPC.
 */
public final class SimulatedNetwork {

  private final VirtualScheduler clock;
  private final NetworkModel model;
  private final List<Mailbox> mailboxes = new ArrayList<>();
  private final List<VirtualScheduler.WaitQueue> arrivals = new ArrayList<>();
  private final long[] egressFree;
  private final long[] ingressFree;
  private final long[] bytesSent;
  private final boolean[] dead;
  private long hostFree;

  /** Workers computing right now (see {@link #compute}); only the running fiber changes it. */
  private int computing;

  public SimulatedNetwork(int size, VirtualScheduler clock, NetworkModel model) {
    if (size < 1) {
      throw new IllegalArgumentException("size " + size);
    }
    this.clock = clock;
    this.model = model;
    for (int r = 0; r < size; r++) {
      mailboxes.add(new Mailbox(r));
      arrivals.add(clock.newWaitQueue());
    }
    egressFree = new long[size];
    ingressFree = new long[size];
    bytesSent = new long[size];
    dead = new boolean[size];
  }

  public int size() {
    return mailboxes.size();
  }

  /** The endpoint of {@code rank}. */
  public PeerNetwork peer(int rank) {
    return new Endpoint(rank);
  }

  /**
   * Rank {@code rank} died: messages to it are dropped, and every receive from it fails once what
   * it sent before dying has been consumed — as when a worker JVM's streams break.
   */
  public void kill(int rank, String why) {
    dead[rank] = true;
    for (int r = 0; r < mailboxes.size(); r++) {
      if (r != rank) {
        mailboxes.get(r).failPeer(rank, new PeerUnreachableException("rank " + rank + " " + why));
        arrivals.get(r).wakeAll();
      }
    }
    mailboxes.get(rank).fail(new TrainingException("rank " + rank + " " + why));
    arrivals.get(rank).wakeAll();
  }

  /**
   * Spends {@code d} of virtual time computing: a worker's forward/backward pass or evaluation.
   * While it does, messages sent on a shared host with processors to share pay {@link
   * NetworkModel#cpuStretch}.
   */
  public void compute(Duration d) {
    computing++;
    try {
      clock.sleep(d);
    } finally {
      computing--;
    }
  }

  /** When a message of {@code bytes} sent now from {@code from} arrives at {@code to}. */
  private long arrival(int from, int to, long bytes) {
    long tx = model.transmitNanos(bytes);
    double stretch = model.cpuStretch(computing);
    long delay = (long) (model.delayNanos(from, to) * stretch);
    long start = Math.max(clock.nanoTime(), egressFree[from]);
    long sent = start + tx;
    if (model.sharedHost()) {
      // The shared host takes messages in the order they are sent, one at a time.
      start = Math.max(start, hostFree);
      hostFree = start + (long) (model.hostTransmitNanos(bytes) * stretch);
      sent = Math.max(start + tx, hostFree);
    }
    egressFree[from] = sent;
    long rxStart = Math.max(start + delay, ingressFree[to]);
    long at = Math.max(rxStart + tx, sent + delay);
    ingressFree[to] = at;
    return at;
  }

  private final class Endpoint implements PeerNetwork {
    private final int rank;

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
      if (dead[to]) {
        throw new PeerUnreachableException("rank " + rank + " cannot reach rank " + to + " (dead)");
      }
      float[] copy = new float[length];
      System.arraycopy(data, offset, copy, 0, length);
      bytesSent[rank] += 4L * length;
      Message m = new Message(rank, tag, seq, copy);
      clock.schedule(
          arrival(rank, to, 4L * length),
          () -> {
            if (!dead[to]) {
              mailboxes.get(to).deliver(m);
              arrivals.get(to).wakeAll();
            }
          });
    }

    @Override
    public Message receive(int from, String tag, Duration timeout) {
      return take(from, tag, timeout);
    }

    @Override
    public Message receiveAny(String tag, Duration timeout) {
      return take(-1, tag, timeout);
    }

    private Message take(int from, String tag, Duration timeout) {
      long deadline = clock.nanoTime() + timeout.toNanos();
      Mailbox box = mailboxes.get(rank);
      while (true) {
        Message m = box.poll(from, tag);
        if (m != null) {
          return m;
        }
        if (clock.nanoTime() >= deadline) {
          throw box.timedOut(from, tag, timeout);
        }
        clock.await(arrivals.get(rank), deadline);
      }
    }

    @Override
    public Set<Integer> deadPeers() {
      Set<Integer> d = new TreeSet<>();
      for (int r = 0; r < dead.length; r++) {
        if (dead[r]) {
          d.add(r);
        }
      }
      return d;
    }

    @Override
    public long bytesSent() {
      return bytesSent[rank];
    }

    @Override
    public Clock clock() {
      return clock;
    }

    @Override
    public void close() {
      mailboxes.get(rank).fail(new TrainingException("rank " + rank + " closed its network"));
      arrivals.get(rank).wakeAll();
    }
  }
}
