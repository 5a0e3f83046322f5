package dev.weft.scheduler;

/**
 * What the scheduler may put in one step, and how it chooses.
 *
 * @param maxNumSeqs the most sequences in the running batch
 * @param maxBatchedTokens the most tokens computed in one step, prefill chunks and decode tokens
 *     together
 * @param maxModelLen the context length: the most tokens (prompt and generated) a request may hold
 * @param maxWaiting capacity of the waiting queue; a request submitted when it is full is rejected
 * @param chunkedPrefill whether a prompt may be spread over several steps; without it a prompt is
 *     computed in one step, so {@code maxBatchedTokens} must be at least {@code maxModelLen}
 * @param mode continuous or static batching
 * @param policy admission and preemption order
 * @param preemption what preemption does with the victim's blocks
 */
public record SchedulerConfig(
    int maxNumSeqs,
    int maxBatchedTokens,
    int maxModelLen,
    int maxWaiting,
    boolean chunkedPrefill,
    BatchingMode mode,
    SchedulingPolicy policy,
    PreemptionMode preemption) {

  public SchedulerConfig {
    atLeast("max sequences per batch", maxNumSeqs, 1);
    atLeast("max batched tokens", maxBatchedTokens, 1);
    atLeast("max model length", maxModelLen, 2);
    atLeast("waiting queue capacity", maxWaiting, 1);
    if (mode == null || policy == null || preemption == null) {
      throw new IllegalArgumentException("batching mode, policy and preemption mode are required");
    }
    if (!chunkedPrefill && maxBatchedTokens < maxModelLen) {
      throw new IllegalArgumentException(
          "max batched tokens ("
              + maxBatchedTokens
              + ") is below max model length ("
              + maxModelLen
              + "): without chunked prefill a long prompt could never be scheduled; enable"
              + " chunked prefill or raise max batched tokens");
    }
  }

  /** Continuous batching, chunked prefill, FCFS, preemption by recompute. */
  public static SchedulerConfig of(
      int maxNumSeqs, int maxBatchedTokens, int maxModelLen, int maxWaiting) {
    return new SchedulerConfig(
        maxNumSeqs,
        maxBatchedTokens,
        maxModelLen,
        maxWaiting,
        true,
        BatchingMode.CONTINUOUS,
        SchedulingPolicy.FCFS,
        PreemptionMode.RECOMPUTE);
  }

  public SchedulerConfig withChunkedPrefill(boolean enabled) {
    return new SchedulerConfig(
        maxNumSeqs, maxBatchedTokens, maxModelLen, maxWaiting, enabled, mode, policy, preemption);
  }

  public SchedulerConfig withMode(BatchingMode batching) {
    return new SchedulerConfig(
        maxNumSeqs,
        maxBatchedTokens,
        maxModelLen,
        maxWaiting,
        chunkedPrefill,
        batching,
        policy,
        preemption);
  }

  public SchedulerConfig withPolicy(SchedulingPolicy order) {
    return new SchedulerConfig(
        maxNumSeqs,
        maxBatchedTokens,
        maxModelLen,
        maxWaiting,
        chunkedPrefill,
        mode,
        order,
        preemption);
  }

  public SchedulerConfig withPreemption(PreemptionMode victims) {
    return new SchedulerConfig(
        maxNumSeqs,
        maxBatchedTokens,
        maxModelLen,
        maxWaiting,
        chunkedPrefill,
        mode,
        policy,
        victims);
  }

  private static void atLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " is " + value + ", must be >= " + min);
    }
  }
}
