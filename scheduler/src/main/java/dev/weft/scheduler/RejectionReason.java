package dev.weft.scheduler;

/** Why a request was refused at submission, before it took any resources. */
public enum RejectionReason {
  /** The waiting queue is at capacity; the client may retry later. */
  QUEUE_FULL,
  /** The prompt leaves no room in the context for a generated token. */
  PROMPT_TOO_LONG,
  /**
   * Its worst-case KV footprint (prompt plus max tokens, capped by the context) needs more blocks
   * than the pool can ever give one request, so it could never be sure to finish.
   */
  NEVER_FITS,
  /** Another live request already has this id. */
  DUPLICATE_ID
}
