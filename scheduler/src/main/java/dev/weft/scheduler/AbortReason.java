package dev.weft.scheduler;

/** Why a request was stopped before it finished. */
public enum AbortReason {
  /** {@link ServingLoop#abort} was called (the client cancelled or went away). */
  CANCELLED,
  /** Its deadline passed. */
  DEADLINE,
  /** The runner failed on a step that included it. */
  RUNNER_ERROR
}
