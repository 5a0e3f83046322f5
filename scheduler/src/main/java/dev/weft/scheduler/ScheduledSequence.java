package dev.weft.scheduler;

import java.util.Objects;

/**
 * One sequence's share of a step: compute the KV entries of {@code tokenIds}, which sit at
 * positions {@code startPosition ..} of the sequence, writing them to {@code slotMapping}; attend
 * over the whole {@code blockTable}; and, if {@code sample} is set, sample the next token.
 *
 * <p>There is no separate prefill phase: a prompt chunk and a decode token are the same thing, a
 * run of tokens whose KV is not yet cached. The sequence's KV for positions below {@code
 * startPosition} is already in the blocks of its table (computed in earlier steps, shared from the
 * prefix cache, or swapped in at the start of this step).
 *
 * @param requestId the request this sequence serves
 * @param tokenIds the tokens to compute this step: a prompt chunk, a recomputed span after
 *     preemption, or the one token sampled last step
 * @param startPosition position of the first of them (= tokens whose KV is already cached)
 * @param blockTable device block ids holding positions {@code [0, contextLength())}, in order
 * @param slotMapping for each token of {@code tokenIds}, the KV slot it is written to: {@code block
 *     * blockSize + offset}
 * @param sample whether to sample a token after this chunk: true exactly when the chunk reaches the
 *     end of the tokens known so far
 * @param sampling the request's sampling parameters
 * @param promptTokens the whole prompt (for penalties that look at it)
 * @param outputTokens the tokens generated so far (for penalties and per-request seeded streams)
 */
public record ScheduledSequence(
    String requestId,
    ImmutableIntList tokenIds,
    int startPosition,
    ImmutableIntList blockTable,
    ImmutableIntList slotMapping,
    boolean sample,
    SamplingParams sampling,
    ImmutableIntList promptTokens,
    ImmutableIntList outputTokens) {

  public ScheduledSequence {
    Objects.requireNonNull(requestId, "request id");
    if (tokenIds.isEmpty()) {
      throw new IllegalArgumentException(requestId + ": a scheduled sequence computes >= 1 token");
    }
    if (slotMapping.size() != tokenIds.size()) {
      throw new IllegalArgumentException(
          requestId
              + ": "
              + tokenIds.size()
              + " tokens but "
              + slotMapping.size()
              + " slots in the mapping");
    }
    if (startPosition < 0) {
      throw new IllegalArgumentException(requestId + ": start position " + startPosition);
    }
  }

  /** Tokens whose KV the attention reads after this step: cached ones plus this chunk. */
  public int contextLength() {
    return startPosition + tokenIds.size();
  }

  public int numTokens() {
    return tokenIds.size();
  }

  /**
   * Whether this is one decode token (a token generated last step) rather than a prompt chunk or a
   * recomputation. Only the step record's shape uses the distinction.
   */
  public boolean isDecode() {
    return tokenIds.size() == 1 && sample && startPosition >= promptTokens.size();
  }
}
