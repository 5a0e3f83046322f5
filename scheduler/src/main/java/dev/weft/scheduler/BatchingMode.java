package dev.weft.scheduler;

/** How the running batch changes between steps. */
public enum BatchingMode {
  /**
   * Iteration-level (continuous) batching: requests join and leave the batch at every step, under
   * the sequence and token budgets.
   */
  CONTINUOUS,
  /**
   * The classic baseline: a batch is formed while nothing runs, finished rows leave, and nothing is
   * admitted until the whole batch has drained. Each row's worst-case KV footprint is reserved when
   * the batch is formed, so a static batch never preempts.
   */
  STATIC
}
