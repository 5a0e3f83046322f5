package dev.weft.simulator.calibration;

import dev.weft.simulator.StepShape;
import java.util.Objects;

/**
 * One measured step of a profile sweep.
 *
 * @param point the sweep point it belongs to (held-out error is computed per point)
 * @param shape the step's shape
 * @param busyNanos measured schedule + forward time (step start to tokens)
 * @param trailingNanos measured apply time plus the loop's gap until the next step started
 */
public record StepSample(String point, StepShape shape, long busyNanos, long trailingNanos) {
  public StepSample {
    Objects.requireNonNull(point, "point");
    Objects.requireNonNull(shape, "shape");
    if (busyNanos < 0 || trailingNanos < 0) {
      throw new IllegalArgumentException("step sample times must be >= 0");
    }
  }
}
