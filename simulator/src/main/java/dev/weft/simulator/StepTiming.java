package dev.weft.simulator;

/**
 * A step's predicted duration in two parts.
 *
 * @param busyNanos from the step's start until its tokens exist (schedule and forward pass): the
 *     runner advances the virtual clock by this much, so tokens carry this time
 * @param trailingNanos after the tokens until the next step can start (applying results, the loop's
 *     own overhead between steps): the driver advances the clock by this after the step
 */
public record StepTiming(long busyNanos, long trailingNanos) {
  public StepTiming {
    if (busyNanos < 0 || trailingNanos < 0) {
      throw new IllegalArgumentException(
          "step timing must be >= 0, got busy " + busyNanos + " ns, trailing " + trailingNanos);
    }
  }

  public long totalNanos() {
    return busyNanos + trailingNanos;
  }
}
