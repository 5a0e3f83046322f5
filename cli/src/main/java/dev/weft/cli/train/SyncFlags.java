package dev.weft.cli.train;

import dev.weft.trainer.algo.HopOptions;
import dev.weft.trainer.algo.RipplesOptions;
import dev.weft.trainer.algo.Topology;
import picocli.CommandLine.Option;

/** The Hop and Ripples flags, shared by {@code train}, {@code train worker} and the study. */
public final class SyncFlags {

  @Option(
      names = "--topology",
      defaultValue = "ring",
      description = "hop: ring, torus, random-regular or complete (default ${DEFAULT-VALUE})")
  String topology;

  @Option(
      names = "--hop-degree",
      defaultValue = "3",
      description =
          "hop: neighbours per worker of a random-regular graph (default ${DEFAULT-VALUE})")
  int degree;

  @Option(
      names = "--hop-max-gap",
      defaultValue = "4",
      description =
          "hop: most iterations a worker may run ahead of a neighbour (default ${DEFAULT-VALUE})")
  int maxGap;

  @Option(
      names = "--hop-staleness",
      defaultValue = "1",
      description =
          "hop: at iteration k accept neighbour updates from iteration >= k - this (default ${DEFAULT-VALUE})")
  int staleness;

  @Option(
      names = "--hop-backup",
      defaultValue = "0",
      description =
          "hop: wait for all but this many neighbours' updates (default ${DEFAULT-VALUE})")
  int backup;

  @Option(
      names = "--hop-skip",
      defaultValue = "0",
      description =
          "hop: a worker more than this many iterations behind a neighbour skips ahead (0: off, the default)")
  int skip;

  @Option(
      names = "--ripples-mode",
      defaultValue = "dynamic",
      description =
          "ripples: dynamic (a group-generator process) or static (rotating partitions) (default ${DEFAULT-VALUE})")
  String ripplesMode;

  @Option(
      names = "--group-size",
      defaultValue = "3",
      description = "ripples: workers per partial all-reduce (default ${DEFAULT-VALUE})")
  int groupSize;

  @Option(
      names = "--ripples-partners",
      defaultValue = "ready",
      description =
          "ripples: the generator groups workers waiting at their sync point (ready) or any (random) (default ${DEFAULT-VALUE})")
  String partners;

  @Option(
      names = "--ripples-divisions",
      defaultValue = "1",
      description = "ripples: group divisions (1: off) (default ${DEFAULT-VALUE})")
  int divisions;

  public HopOptions hop() {
    return new HopOptions(Topology.Kind.parse(topology), degree, maxGap, staleness, backup, skip);
  }

  public RipplesOptions ripples() {
    return new RipplesOptions(
        RipplesOptions.Mode.parse(ripplesMode),
        groupSize,
        RipplesOptions.Partners.parse(partners),
        divisions);
  }
}
