package dev.weft.trainer.study;

import dev.weft.trainer.algo.AlgorithmKind;
import dev.weft.trainer.algo.HopOptions;
import dev.weft.trainer.algo.RipplesOptions;
import dev.weft.trainer.algo.Topology;
import java.util.List;

/**
 * One algorithm setting of the study.
 *
 * @param name the column / legend label
 * @param servers parameter-server processes (PS only)
 */
public record StudyVariant(
    String name, AlgorithmKind algo, int servers, HopOptions hop, RipplesOptions ripples) {

  /**
   * Hop as evaluated: a random 3-regular graph, gap 4, staleness 1, one backup worker, skipping
   * when more than 2 iterations behind.
   */
  public static final HopOptions HOP = new HopOptions(Topology.Kind.RANDOM_REGULAR, 3, 4, 1, 1, 2);

  /** The same Hop code with backup workers and skipping off (the baseline for Hop). */
  public static final HopOptions HOP_PLAIN =
      new HopOptions(Topology.Kind.RANDOM_REGULAR, 3, 4, 1, 0, 0);

  /** The study's algorithms: the three baselines, Hop with and without its tolerance, Ripples. */
  public static List<StudyVariant> defaults() {
    RipplesOptions r = RipplesOptions.DEFAULTS;
    return List.of(
        new StudyVariant("allreduce", AlgorithmKind.ALLREDUCE, 0, HopOptions.DEFAULTS, r),
        new StudyVariant("ps", AlgorithmKind.PS, 1, HopOptions.DEFAULTS, r),
        new StudyVariant("adpsgd", AlgorithmKind.ADPSGD, 0, HopOptions.DEFAULTS, r),
        new StudyVariant("hop", AlgorithmKind.HOP, 0, HOP, r),
        new StudyVariant("hop-plain", AlgorithmKind.HOP, 0, HOP_PLAIN, r),
        new StudyVariant("ripples", AlgorithmKind.RIPPLES, 0, HopOptions.DEFAULTS, r),
        new StudyVariant(
            "ripples-static",
            AlgorithmKind.RIPPLES,
            0,
            HopOptions.DEFAULTS,
            new RipplesOptions(RipplesOptions.Mode.STATIC, 3, RipplesOptions.Partners.READY, 1)));
  }
}
