package dev.weft.trainer.grpc;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receives announced by this process's workers ({@link GrpcInPlace}), looked up by the event loop
 * as it parses each chunk ({@link ChunkCodec}): a whole-message chunk that matches an announcement
 * is added or copied straight from the network buffers into its destination, and only a marker
 * reaches the mailbox.
 *
 * <p>Each announcement is claimed at most once: by the event loop (which then writes it) or by its
 * worker withdrawing it. A withdrawal that finds the event loop writing waits for it to finish, so
 * once a worker's {@link GrpcInPlace#close} returns, nothing writes into its array any more.
 */
final class Placements {

  /** Where one announced message goes. */
  static final class Placement {
    private static final int ANNOUNCED = 0;
    private static final int WRITING = 1;
    private static final int DONE = 2;
    private static final int WITHDRAWN = 3;

    final float[] dest;
    final int offset;
    final int length;
    final boolean add;
    private final AtomicInteger state = new AtomicInteger(ANNOUNCED);

    Placement(float[] dest, int offset, int length, boolean add) {
      this.dest = dest;
      this.offset = offset;
      this.length = length;
      this.add = add;
    }
  }

  record Key(int from, String tag, long seq) {}

  private final String runId;
  private final ConcurrentHashMap<Key, Placement> announced = new ConcurrentHashMap<>();
  private final AtomicLong placed = new AtomicLong();

  Placements(String runId) {
    this.runId = runId;
  }

  void announce(Key k, Placement p) {
    if (announced.putIfAbsent(k, p) != null) {
      throw new IllegalStateException("'" + k.tag() + "' seq " + k.seq() + " announced twice");
    }
  }

  /**
   * The event loop's claim on the announcement for a whole-message chunk of {@code length} values;
   * null when there is none, it was withdrawn, or the chunk does not fit it (the chunk then takes
   * the ordinary path, where the receiver's checks name the mismatch). A claimed placement must be
   * {@link #finished}.
   */
  Placement claim(String run, int from, String tag, long seq, int length) {
    if (!runId.equals(run)) {
      return null;
    }
    Key k = new Key(from, tag, seq);
    Placement p = announced.get(k);
    if (p == null || p.length != length || !announced.remove(k, p)) {
      return null;
    }
    return p.state.compareAndSet(Placement.ANNOUNCED, Placement.WRITING) ? p : null;
  }

  /** The event loop is done with {@code p}, written or not. */
  void finished(Placement p) {
    placed.incrementAndGet();
    synchronized (p) {
      p.state.set(Placement.DONE);
      p.notifyAll();
    }
  }

  /**
   * Withdraws {@code p}; if the event loop is writing it, waits until it is done (the rest of a
   * chunk already in memory: microseconds).
   */
  void withdraw(Key k, Placement p) {
    announced.remove(k, p);
    if (p.state.compareAndSet(Placement.ANNOUNCED, Placement.WITHDRAWN)) {
      return;
    }
    boolean interrupted = false;
    synchronized (p) {
      while (p.state.get() == Placement.WRITING) {
        try {
          p.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Announcements not yet claimed or withdrawn. */
  int pending() {
    return announced.size();
  }

  /** Chunks the event loop has claimed so far (written, or failed while writing). */
  long placed() {
    return placed.get();
  }
}
