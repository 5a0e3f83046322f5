package dev.weft.trainer.worker;

/**
 * A worker's fault settings.
 *
 * @param killAtIteration die abruptly when reaching this iteration (fault injection; -1: never)
 * @param checkpointEvery write a checkpoint every this many iterations (0: never)
 * @param resumeFrom run directory whose checkpoints to start from (empty: start fresh)
 * @param snapshotSeconds keep a copy of the parameters every this many seconds of training, for
 *     accuracy-over-time curves ({@link ParameterSnapshots}; 0: never)
 */
public record Recovery(
    long killAtIteration, long checkpointEvery, String resumeFrom, double snapshotSeconds) {

  public static final Recovery NONE = new Recovery(-1, 0, "", 0);

  public Recovery(long killAtIteration, long checkpointEvery, String resumeFrom) {
    this(killAtIteration, checkpointEvery, resumeFrom, 0);
  }

  public Recovery {
    if (killAtIteration < -1) {
      throw new IllegalArgumentException("kill iteration must be >= 0");
    }
    if (checkpointEvery < 0) {
      throw new IllegalArgumentException("--checkpoint-every must be >= 0");
    }
    resumeFrom = resumeFrom == null ? "" : resumeFrom;
    if (!(snapshotSeconds >= 0)) {
      throw new IllegalArgumentException("snapshot period must be >= 0 s, got " + snapshotSeconds);
    }
  }
}
