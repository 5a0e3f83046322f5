package dev.weft.trainer.algo;

/**
 * Hop's knobs (Luo et al., ASPLOS'19). The paper leaves the exact values open; the defaults here
 * are documented choices, not the paper's.
 *
 * @param topology the communication graph (undirected: in- and out-neighbours coincide)
 * @param degree neighbours per worker for {@link Topology.Kind#RANDOM_REGULAR} (ignored otherwise)
 * @param maxGap iteration-gap bound: a worker enters iteration k only once every neighbour has
 *     entered iteration k - maxGap (the token queues' capacity)
 * @param staleness at iteration k a neighbour update counts only if it was sent at iteration >= k -
 *     staleness
 * @param backup backup workers: iteration k waits for fresh updates from all but this many
 *     neighbours
 * @param skip iteration skipping: a worker more than this many iterations behind its furthest
 *     neighbour jumps its iteration counter forward (0: never skip)
 */
public record HopOptions(
    Topology.Kind topology, int degree, int maxGap, int staleness, int backup, int skip) {

  /** Ring, gap 4, staleness 1, no backup workers, no skipping. */
  public static final HopOptions DEFAULTS = new HopOptions(Topology.Kind.RING, 3, 4, 1, 0, 0);

  public HopOptions {
    if (topology == null) {
      throw new IllegalArgumentException("topology is required");
    }
    if (degree < 1) {
      throw new IllegalArgumentException("--hop-degree must be >= 1, got " + degree);
    }
    if (maxGap < 1) {
      throw new IllegalArgumentException("--hop-max-gap must be >= 1, got " + maxGap);
    }
    if (staleness < 0 || staleness > maxGap) {
      throw new IllegalArgumentException(
          "--hop-staleness must be in 0..--hop-max-gap (" + maxGap + "), got " + staleness);
    }
    if (backup < 0) {
      throw new IllegalArgumentException("--hop-backup must be >= 0, got " + backup);
    }
    if (skip < 0) {
      throw new IllegalArgumentException("--hop-skip must be >= 0 (0: off), got " + skip);
    }
    if (skip > 0 && skip > maxGap - 2) {
      // When a worker checks, a neighbour is at most maxGap - 1 iterations past its next one.
      throw new IllegalArgumentException(
          "--hop-skip "
              + skip
              + " can never trigger with --hop-max-gap "
              + maxGap
              + " (use at most max gap - 2)");
    }
  }
}
