package dev.weft.server;

import dev.weft.scheduler.AbortReason;

/**
 * An admitted request ended before finishing: cancelled, past its deadline, or the model failed.
 */
public final class RequestAbortedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final AbortReason reason;

  public RequestAbortedException(AbortReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public AbortReason reason() {
    return reason;
  }
}
