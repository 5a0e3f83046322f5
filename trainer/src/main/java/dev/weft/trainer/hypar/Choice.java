package dev.weft.trainer.hypar;

/** A layer's parallelism at one level of the hierarchy; its bit in a plan is {@link #bit()}. */
public enum Choice {
  /** Data parallelism: split the batch, keep whole weights, add up weight gradients. */
  DP,
  /** Model parallelism: split the weights by input rows, add up partial output sums. */
  MP;

  public int bit() {
    return this == DP ? 0 : 1;
  }

  public static Choice of(boolean mp) {
    return mp ? MP : DP;
  }
}
