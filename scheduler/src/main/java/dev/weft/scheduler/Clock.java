package dev.weft.scheduler;

/**
 * Monotonic time in nanoseconds: the one source of time for the serving loop. The live server
 * passes {@code System::nanoTime}; the simulator a virtual clock that its runner advances by the
 * cost model's prediction; tests a {@link dev.weft.scheduler.testing.FakeClock}.
 */
@FunctionalInterface
public interface Clock {
  long nanoTime();
}
