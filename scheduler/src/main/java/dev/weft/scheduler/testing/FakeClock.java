package dev.weft.scheduler.testing;

import dev.weft.scheduler.Clock;
import java.time.Duration;

/** A clock that moves only when told: for tests and as the simplest virtual clock. */
public final class FakeClock implements Clock {
  private long now;

  public FakeClock() {
    this(0);
  }

  public FakeClock(long startNanos) {
    this.now = startNanos;
  }

  @Override
  public long nanoTime() {
    return now;
  }

  public void advance(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("a clock cannot go back (advance by " + nanos + " ns)");
    }
    now = Math.addExact(now, nanos);
  }

  public void advance(Duration duration) {
    advance(duration.toNanos());
  }

  /** Moves to {@code nanos}, which must not be in the past. */
  public void advanceTo(long nanos) {
    advance(nanos - now);
  }
}
