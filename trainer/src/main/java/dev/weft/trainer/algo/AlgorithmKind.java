package dev.weft.trainer.algo;

import java.util.Locale;

/** The synchronization algorithms a run can use. */
public enum AlgorithmKind {
  /** Synchronous ring All-Reduce of gradients. */
  ALLREDUCE,
  /** Parameter Server: gradients pushed to sharded servers, weights pulled back. */
  PS,
  /** Asynchronous decentralized parallel SGD (Lian et al.): pairwise model averaging. */
  ADPSGD;

  /** Parses a CLI name; the message lists the choices. */
  public static AlgorithmKind parse(String name) {
    for (AlgorithmKind k : values()) {
      if (k.name().equalsIgnoreCase(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown algorithm '" + name + "' (choose allreduce, ps or adpsgd)");
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
