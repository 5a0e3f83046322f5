package dev.weft.trainer.comm;

import java.time.Duration;

/**
 * Time as the algorithms see it. Real runs use {@link #system()}; the simulated transport plugs in
 * a virtual clock so the same algorithm code runs hundreds of workers in one process. All sleeping
 * (injected slowdowns, network delay) goes through here, never {@code Thread.sleep}.
 */
public interface Clock {

  /** Monotonic time in nanoseconds; only differences are meaningful. */
  long nanoTime();

  /** Sleeps (does not spin) for {@code d}. */
  void sleep(Duration d) throws InterruptedException;

  /**
   * Starts a daemon helper thread (e.g. AD-PSGD's responder). Algorithms start threads through
   * here, never with {@code new Thread}, so that a virtual clock can schedule them
   * deterministically.
   */
  default Thread startThread(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Waits up to {@code timeout} for a thread from {@link #startThread} to end. */
  default void join(Thread thread, Duration timeout) throws InterruptedException {
    thread.join(Math.max(1, timeout.toMillis()));
  }

  /** The wall clock of this JVM. */
  static Clock system() {
    return SystemClock.INSTANCE;
  }
}

enum SystemClock implements Clock {
  INSTANCE;

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public void sleep(Duration d) throws InterruptedException {
    if (!d.isNegative() && !d.isZero()) {
      Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
    }
  }
}
