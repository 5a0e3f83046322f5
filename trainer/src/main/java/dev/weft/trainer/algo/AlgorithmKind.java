package dev.weft.trainer.algo;

import java.util.Locale;

/** The synchronization algorithms a run can use. */
public enum AlgorithmKind {
  /** Synchronous ring All-Reduce of gradients. */
  ALLREDUCE,
  /** Parameter Server: gradients pushed to sharded servers, weights pulled back. */
  PS,
  /** Asynchronous decentralized parallel SGD (Lian et al.): pairwise model averaging. */
  ADPSGD,
  /** Hop: neighbour updates on a graph with bounded iteration gap, backup workers, skipping. */
  HOP,
  /** Ripples: asynchronous Partial All-Reduce of small groups. */
  RIPPLES;

  /** Parses a CLI name; the message lists the choices. */
  public static AlgorithmKind parse(String name) {
    for (AlgorithmKind k : values()) {
      if (k.name().equalsIgnoreCase(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown algorithm '" + name + "' (choose allreduce, ps, adpsgd, hop or ripples)");
  }

  /**
   * Non-worker processes of a run: the parameter servers asked for (PS), the Group Generator
   * (dynamic Ripples), none otherwise.
   */
  public int serverProcesses(int requestedServers, RipplesOptions ripples) {
    return switch (this) {
      case PS -> requestedServers;
      case RIPPLES -> ripples.generatorProcesses();
      default -> 0;
    };
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
