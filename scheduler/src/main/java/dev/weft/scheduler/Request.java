package dev.weft.scheduler;

import java.util.Objects;

/**
 * One generation request as the serving loop sees it: what to continue, how to sample, how urgent
 * it is and until when it is wanted. The arrival time is the loop's clock at {@link
 * ServingLoop#submit}.
 *
 * @param id unique among the loop's live requests
 * @param promptTokens the token ids to continue; at least one
 * @param sampling how tokens are chosen and when generation stops
 * @param priority lower is more urgent; only the {@link SchedulingPolicy#PRIORITY} policy reads it
 * @param deadlineNanos on the loop's clock; at the first step at or after it the request is aborted
 *     and its blocks freed; {@link #NO_DEADLINE} for none
 */
public record Request(
    String id,
    ImmutableIntList promptTokens,
    SamplingParams sampling,
    int priority,
    long deadlineNanos) {

  public static final long NO_DEADLINE = Long.MAX_VALUE;

  public Request {
    Objects.requireNonNull(id, "request id");
    Objects.requireNonNull(promptTokens, "prompt tokens");
    Objects.requireNonNull(sampling, "sampling parameters");
    if (id.isBlank()) {
      throw new IllegalArgumentException("request id is blank");
    }
    if (promptTokens.isEmpty()) {
      throw new IllegalArgumentException("request " + id + ": the prompt has no tokens");
    }
  }

  /** A request with default priority (0) and no deadline. */
  public static Request of(String id, ImmutableIntList promptTokens, SamplingParams sampling) {
    return new Request(id, promptTokens, sampling, 0, NO_DEADLINE);
  }

  /** A request with default priority (0) and no deadline. */
  public static Request of(String id, int[] promptTokens, SamplingParams sampling) {
    return of(id, ImmutableIntList.of(promptTokens), sampling);
  }

  public Request withPriority(int value) {
    return new Request(id, promptTokens, sampling, value, deadlineNanos);
  }

  /** The same request with an absolute deadline on the loop's clock. */
  public Request withDeadline(long nanos) {
    return new Request(id, promptTokens, sampling, priority, nanos);
  }

  public boolean hasDeadline() {
    return deadlineNanos != NO_DEADLINE;
  }
}
