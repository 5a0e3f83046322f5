package dev.weft.scheduler;

/**
 * Copy one KV block's contents, all layers, from block {@code source} to block {@code destination}.
 * Which stores the two ids index is given by the list that holds the copy in a {@link StepPlan}.
 */
public record BlockCopy(int source, int destination) {
  public BlockCopy {
    if (source < 0 || destination < 0) {
      throw new IllegalArgumentException(
          "block ids must be >= 0, got " + source + " -> " + destination);
    }
  }

  @Override
  public String toString() {
    return source + "->" + destination;
  }
}
