package dev.weft.trainer.worker;

import dev.weft.trainer.comm.TrainingException;

/**
 * A worker's loss (or gradient norm) is not finite: training has diverged, or a bug fed it garbage.
 * The worker stops at once, naming where, instead of sending NaN to its peers and training on for
 * the rest of the run. Checked on values the loop has anyway, so it costs nothing per iteration; a
 * gradient that is NaN while its loss is finite shows up as the next iteration's loss.
 */
public final class DivergedException extends TrainingException {

  private static final long serialVersionUID = 1L;

  private DivergedException(String message) {
    super(message);
  }

  /**
   * Throws when {@code value}, worker {@code rank}'s {@code what} ("loss", "gradient norm") at
   * {@code iteration}, is NaN or infinite.
   *
   * @param hint what the user may change, e.g. "try a lower --lr"
   */
  static void check(int rank, long iteration, String what, double value, String hint) {
    if (!Double.isFinite(value)) {
      throw new DivergedException(
          "worker "
              + rank
              + "'s "
              + what
              + " at iteration "
              + iteration
              + " is "
              + value
              + "; training diverged: "
              + hint);
    }
  }
}
