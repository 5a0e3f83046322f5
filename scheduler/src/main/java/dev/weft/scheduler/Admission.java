package dev.weft.scheduler;

/** The answer to {@link ServingLoop#submit}: queued, or refused with a reason. */
public sealed interface Admission {

  String requestId();

  /** The request is in the waiting queue; its end will come as a later event. */
  record Accepted(String requestId) implements Admission {}

  /** The request was refused; nothing of it was kept. */
  record Rejected(String requestId, RejectionReason reason, String message) implements Admission {}

  default boolean isAccepted() {
    return this instanceof Accepted;
  }
}
