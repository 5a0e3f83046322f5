package dev.weft.scheduler;

import dev.weft.scheduler.kv.BlockTable;
import java.util.Comparator;

/**
 * The scheduler's mutable record of one live request: its tokens so far (prompt, then generated),
 * its KV state and where it is. One sequence per request (no beam search or parallel sampling).
 */
final class SequenceState {
  enum Status {
    /** In the waiting queue: new, preempted by recompute, or swapped out. */
    WAITING,
    RUNNING,
    /** Finished or aborted; no longer the scheduler's. */
    DONE
  }

  /** Priority policy order: priority, then arrival, then submission order (a total order). */
  static final Comparator<SequenceState> PRIORITY_ORDER =
      Comparator.<SequenceState>comparingInt(s -> s.request.priority())
          .thenComparingLong(s -> s.arrivalNanos)
          .thenComparingLong(s -> s.submissionIndex);

  static final Comparator<SequenceState> DEADLINE_ORDER =
      Comparator.<SequenceState>comparingLong(s -> s.request.deadlineNanos())
          .thenComparingLong(s -> s.submissionIndex);

  final Request request;
  final long submissionIndex;
  final long arrivalNanos;
  final BlockTable kv = new BlockTable();
  private final AppendOnlyIntList tokens;
  private final int promptLength;

  Status status = Status.WAITING;
  long firstScheduledNanos = -1;
  long firstTokenNanos = -1;
  int prefixHitTokens;
  int preemptions;
  boolean admittedOnce;

  SequenceState(Request request, long submissionIndex, long arrivalNanos) {
    this.request = request;
    this.submissionIndex = submissionIndex;
    this.arrivalNanos = arrivalNanos;
    this.promptLength = request.promptTokens().size();
    this.tokens = new AppendOnlyIntList(promptLength + 16);
    tokens.addAll(request.promptTokens());
  }

  String id() {
    return request.id();
  }

  /** Prompt and generated tokens. */
  ImmutableIntList allTokens() {
    return tokens.snapshot();
  }

  ImmutableIntList outputTokens() {
    return allTokens().subList(promptLength, tokens.size());
  }

  int numTokens() {
    return tokens.size();
  }

  int numOutputs() {
    return tokens.size() - promptLength;
  }

  int computedTokens() {
    return kv.computedTokens();
  }

  void appendOutput(int token) {
    tokens.add(token);
  }

  RequestStats stats(long endNanos) {
    return new RequestStats(
        arrivalNanos,
        firstScheduledNanos,
        firstTokenNanos,
        endNanos,
        promptLength,
        numOutputs(),
        prefixHitTokens,
        preemptions);
  }

  @Override
  public String toString() {
    return id() + "(" + computedTokens() + "/" + numTokens() + " " + status + ")";
  }
}
