package dev.weft.trainer.worker;

import dev.weft.trainer.comm.ForwardingPeerNetwork;
import dev.weft.trainer.comm.PeerNetwork;
import dev.weft.trainer.comm.TrainingException;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Adds a fixed one-way delay to every message sent, without blocking the sender: the message is
 * copied and handed to the real network {@code delay} later. One scheduler thread with equal delays
 * keeps per-destination order.
 */
final class DelayedNetwork extends ForwardingPeerNetwork {

  private final Duration delay;
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
  private volatile RuntimeException failure;

  DelayedNetwork(PeerNetwork inner, Duration delay) {
    super(inner);
    this.delay = delay;
  }

  @Override
  public void send(int to, String tag, long seq, float[] data, int offset, int length) {
    RuntimeException f = failure;
    if (f != null) {
      throw new TrainingException("a delayed send failed: " + f.getMessage(), f);
    }
    float[] copy = new float[length];
    System.arraycopy(data, offset, copy, 0, length);
    scheduler.schedule(
        () -> {
          try {
            inner.send(to, tag, seq, copy);
          } catch (RuntimeException e) {
            failure = e;
          }
        },
        delay.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    scheduler.shutdown();
    try {
      scheduler.awaitTermination(delay.toMillis() + 5000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    inner.close();
  }
}
