package dev.weft.trainer.algo;

import java.util.Locale;

/**
 * Ripples' knobs (Luo et al., arXiv 1909.08029).
 *
 * @param mode {@code DYNAMIC}: a Group Generator process forms groups on request; {@code STATIC}: a
 *     precomputed rotating sequence of disjoint partitions, no generator
 * @param groupSize workers per Partial All-Reduce (clamped to the number of workers)
 * @param partners how the generator picks a requester's partners (dynamic mode)
 * @param divisions Group Division: workers are split into this many divisions (reshuffled every
 *     {@code workers} groups) and a group is drawn from one division (1: off)
 */
public record RipplesOptions(Mode mode, int groupSize, Partners partners, int divisions) {

  /** Where groups come from. */
  public enum Mode {
    DYNAMIC,
    STATIC;

    public static Mode parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "dynamic" -> DYNAMIC;
        case "static" -> STATIC;
        default ->
            throw new IllegalArgumentException(
                "unknown --ripples-mode '" + s + "' (choose dynamic or static)");
      };
    }
  }

  /** The generator's partner choice. */
  public enum Partners {
    /**
     * The requester plus workers drawn at random from its division, whatever they are doing: the
     * paper's basic generator. A group that includes a slow worker waits for its next sync point.
     */
    RANDOM,
    /**
     * Only workers that are waiting at their sync point (have an unanswered request): the
     * longest-waiting one plus random others among the waiting. Nobody waits on a worker that is
     * still computing, which is what makes Ripples tolerate a slow worker.
     */
    READY;

    public static Partners parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "random" -> RANDOM;
        case "ready" -> READY;
        default ->
            throw new IllegalArgumentException(
                "unknown --ripples-partners '" + s + "' (choose ready or random)");
      };
    }
  }

  /** Dynamic, groups of 3, ready partners, one division. */
  public static final RipplesOptions DEFAULTS =
      new RipplesOptions(Mode.DYNAMIC, 3, Partners.READY, 1);

  public RipplesOptions {
    if (mode == null || partners == null) {
      throw new IllegalArgumentException("ripples mode and partner policy are required");
    }
    if (groupSize < 2) {
      throw new IllegalArgumentException("--group-size must be >= 2, got " + groupSize);
    }
    if (divisions < 1) {
      throw new IllegalArgumentException("--ripples-divisions must be >= 1, got " + divisions);
    }
  }

  /** Processes besides the workers: the Group Generator in dynamic mode. */
  public int generatorProcesses() {
    return mode == Mode.DYNAMIC ? 1 : 0;
  }
}
