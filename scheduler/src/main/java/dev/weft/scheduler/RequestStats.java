package dev.weft.scheduler;

/**
 * One request's life in numbers, carried by its terminal event: what TTFT, TPOT, queueing delay and
 * end-to-end latency are computed from. Times are on the loop's clock; -1 where the moment never
 * came.
 *
 * @param arrivalNanos when it was submitted
 * @param firstScheduledNanos start of the first step that computed any of its tokens
 * @param firstTokenNanos when its first token was produced
 * @param endNanos when it finished or was aborted
 * @param promptTokens prompt length
 * @param outputTokens tokens generated
 * @param prefixHitTokens prompt tokens found in the prefix cache at first admission
 * @param preemptions times it was preempted
 */
public record RequestStats(
    long arrivalNanos,
    long firstScheduledNanos,
    long firstTokenNanos,
    long endNanos,
    int promptTokens,
    int outputTokens,
    int prefixHitTokens,
    int preemptions) {}
