package dev.weft.trainer.worker;

import dev.weft.trainer.comm.TrainingException;

/** Fault injection: this worker was told to die at this iteration ({@code --kill}). */
public final class WorkerKilledException extends TrainingException {

  private static final long serialVersionUID = 1L;

  private final int rank;
  private final long iteration;

  public WorkerKilledException(int rank, long iteration) {
    super("worker " + rank + " killed at iteration " + iteration + " (--kill)");
    this.rank = rank;
    this.iteration = iteration;
  }

  public int rank() {
    return rank;
  }

  public long iteration() {
    return iteration;
  }
}
