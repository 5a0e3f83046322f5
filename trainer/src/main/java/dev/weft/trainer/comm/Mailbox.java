package dev.weft.trainer.comm;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Delivered messages waiting for a receive, indexed by tag. Shared by every transport so that
 * receive semantics (FIFO per sender and tag, timeouts, failure propagation) are identical on gRPC
 * and in simulation.
 */
public final class Mailbox {

  private final int owner;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final Map<String, ArrayDeque<Message>> byTag = new HashMap<>();
  private RuntimeException failure;
  private final Map<Integer, RuntimeException> peerFailures = new HashMap<>();

  public Mailbox(int owner) {
    this.owner = owner;
  }

  public void deliver(Message m) {
    lock.lock();
    try {
      byTag.computeIfAbsent(m.tag(), t -> new ArrayDeque<>()).add(m);
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Makes every current and future receive fail with {@code cause} (peer died, stop, close). */
  public void fail(RuntimeException cause) {
    lock.lock();
    try {
      if (failure == null) {
        failure = cause;
      }
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes receives from {@code peer} fail with {@code cause} once its delivered messages are
   * consumed (the peer died); receives from others are unaffected.
   */
  public void failPeer(int peer, RuntimeException cause) {
    lock.lock();
    try {
      peerFailures.putIfAbsent(peer, cause);
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The next message with {@code tag} from {@code from} ({@code from < 0}: from anyone). */
  public Message take(int from, String tag, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        Message m = pollLocked(from, tag);
        if (m != null) {
          return m;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw timedOut(from, tag, timeout);
        }
        arrived.awaitNanos(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrainingException("interrupted while waiting for '" + tag + "'", e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Like {@link #take} without waiting: the message, or null if none has arrived yet; throws if the
   * mailbox or the awaited peer failed. Virtual-time transports wait on their own clock.
   */
  public Message poll(int from, String tag) {
    lock.lock();
    try {
      return pollLocked(from, tag);
    } finally {
      lock.unlock();
    }
  }

  /** The error a receive throws when {@code timeout} passed without a message. */
  public PeerTimeoutException timedOut(int from, String tag, Duration timeout) {
    return new PeerTimeoutException(
        "rank "
            + owner
            + " waited "
            + timeout.toSeconds()
            + " s for '"
            + tag
            + "' from "
            + (from < 0 ? "any peer" : "rank " + from)
            + " (is that peer alive and running the same algorithm?)");
  }

  private Message pollLocked(int from, String tag) {
    ArrayDeque<Message> q = byTag.get(tag);
    if (q != null) {
      for (Iterator<Message> it = q.iterator(); it.hasNext(); ) {
        Message m = it.next();
        if (from < 0 || m.from() == from) {
          it.remove();
          return m;
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    if (from >= 0 && peerFailures.containsKey(from)) {
      throw peerFailures.get(from);
    }
    return null;
  }
}
