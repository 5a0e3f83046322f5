package dev.weft.trainer.worker;

import dev.weft.trainer.comm.TrainingException;

/**
 * A worker's loss or gradient is not finite: training has diverged (or a bug fed it garbage). The
 * worker stops at once, naming where, instead of sending NaN to its peers and training on for the
 * rest of the run.
 */
public final class DivergedException extends TrainingException {

  private static final long serialVersionUID = 1L;

  private DivergedException(String message) {
    super(message);
  }

  /**
   * Throws when {@code loss} or any value of {@code gradient} is NaN or infinite.
   *
   * @param hint what the user may change, e.g. "try a lower --lr"
   */
  static void check(int rank, long iteration, float loss, float[] gradient, String hint) {
    if (!Float.isFinite(loss)) {
      throw new DivergedException(
          "worker " + rank + "'s loss at iteration " + iteration + " is " + loss + "; " + hint);
    }
    for (int i = 0; i < gradient.length; i++) {
      if (!Float.isFinite(gradient[i])) {
        throw new DivergedException(
            "worker "
                + rank
                + "'s gradient at iteration "
                + iteration
                + " has "
                + gradient[i]
                + " at index "
                + i
                + " (loss "
                + loss
                + "); "
                + hint);
      }
    }
  }
}
