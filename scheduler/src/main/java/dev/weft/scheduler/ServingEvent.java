package dev.weft.scheduler;

/**
 * What the serving loop tells its owner, in order, from {@link ServingLoop#step()}. Every submitted
 * request gets exactly one terminal event: {@link Finished}, {@link Rejected} or {@link Aborted};
 * after it the request id is free again.
 */
public sealed interface ServingEvent {

  String requestId();

  /** On the loop's clock. */
  long timeNanos();

  /** Whether the request's life ends with this event. */
  default boolean isTerminal() {
    return !(this instanceof TokenProduced) && !(this instanceof Preempted);
  }

  /**
   * A token was generated; stream it.
   *
   * @param index its position among the request's generated tokens, from 0
   */
  record TokenProduced(String requestId, int token, int index, long timeNanos)
      implements ServingEvent {}

  /** The request stopped on its own; {@code outputTokens} are all tokens it produced. */
  record Finished(
      String requestId,
      FinishReason reason,
      ImmutableIntList outputTokens,
      RequestStats stats,
      long timeNanos)
      implements ServingEvent {}

  /** Refused at submission (also answered by {@link ServingLoop#submit} itself). */
  record Rejected(String requestId, RejectionReason reason, String message, long timeNanos)
      implements ServingEvent {}

  /** Stopped before finishing; {@code outputTokens} are the tokens produced until then. */
  record Aborted(
      String requestId,
      AbortReason reason,
      String message,
      ImmutableIntList outputTokens,
      RequestStats stats,
      long timeNanos)
      implements ServingEvent {}

  /**
   * The request lost its place in the running batch because the KV pool ran out (or a more urgent
   * request needed it); it will resume by itself.
   *
   * @param mode how: {@link PreemptionMode#SWAP} only if its blocks went to the host store
   */
  record Preempted(String requestId, PreemptionMode mode, long timeNanos) implements ServingEvent {}
}
