package dev.weft.server;

import dev.weft.scheduler.RejectionReason;

/** The serving loop refused the request at admission; the reason decides the gRPC status. */
public final class RequestRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final RejectionReason reason;

  public RequestRejectedException(RejectionReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public RejectionReason reason() {
    return reason;
  }
}
