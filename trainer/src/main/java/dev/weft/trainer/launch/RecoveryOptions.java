package dev.weft.trainer.launch;

import dev.weft.trainer.worker.Recovery;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Faults and recovery of a run.
 *
 * @param kills worker rank -> iteration at which it dies abruptly (fault injection)
 * @param checkpointEvery every worker writes its parameters to {@code OUT/checkpoint} every this
 *     many iterations (0: never)
 * @param resumeFrom the directory of an earlier run to continue from its checkpoints (null: none)
 * @param snapshotSeconds every worker keeps a copy of its parameters every this many seconds of
 *     training under {@code OUT/snapshots} (accuracy-over-time curves; 0: never)
 */
public record RecoveryOptions(
    Map<Integer, Long> kills, long checkpointEvery, Path resumeFrom, double snapshotSeconds) {

  public static final RecoveryOptions NONE = new RecoveryOptions(Map.of(), 0, null);

  public RecoveryOptions(Map<Integer, Long> kills, long checkpointEvery, Path resumeFrom) {
    this(kills, checkpointEvery, resumeFrom, 0);
  }

  /** No faults or checkpoints; parameter snapshots every {@code seconds}. */
  public static RecoveryOptions snapshots(double seconds) {
    return new RecoveryOptions(Map.of(), 0, null, seconds);
  }

  public RecoveryOptions {
    kills = Map.copyOf(new TreeMap<>(kills));
    for (var e : kills.entrySet()) {
      if (e.getKey() < 0 || e.getValue() < 0) {
        throw new IllegalArgumentException(
            "--kill " + e.getKey() + "@" + e.getValue() + ": rank and iteration must be >= 0");
      }
    }
    if (checkpointEvery < 0) {
      throw new IllegalArgumentException("--checkpoint-every must be >= 0");
    }
    if (!(snapshotSeconds >= 0)) {
      throw new IllegalArgumentException("snapshot period must be >= 0 s, got " + snapshotSeconds);
    }
  }

  /** Checks the ranks against the run's workers. */
  public void validate(int workers) {
    for (int r : kills.keySet()) {
      if (r >= workers) {
        throw new IllegalArgumentException(
            "--kill names rank " + r + " but workers are 0.." + (workers - 1));
      }
    }
  }

  public Recovery forRank(int rank) {
    return new Recovery(
        kills.getOrDefault(rank, -1L),
        checkpointEvery,
        resumeFrom == null ? "" : resumeFrom.toAbsolutePath().toString(),
        snapshotSeconds);
  }
}
