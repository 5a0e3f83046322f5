package dev.weft.server;

import dev.weft.scheduler.BatchingMode;
import dev.weft.scheduler.PreemptionMode;
import dev.weft.scheduler.SchedulingPolicy;
import java.time.Duration;

/**
 * How the server serves its model: the KV cache's size and the scheduler's limits. The context
 * length comes from the model itself.
 *
 * @param kvCacheMemoryBytes memory for the device KV pool; the number of blocks follows from the
 *     model's KV shape
 * @param swapSpaceBytes memory for swapped-out blocks (only read when preempting by swap)
 * @param blockSize token slots per KV block
 * @param maxNumSeqs the most requests in one batch
 * @param maxBatchedTokens the most tokens computed in one step
 * @param maxWaiting capacity of the waiting queue; beyond it requests get RESOURCE_EXHAUSTED
 * @param mode continuous or static batching
 * @param policy FCFS or by priority
 * @param preemption recompute or swap
 * @param prefixCaching whether full KV blocks are shared between requests with the same prefix
 * @param defaultMaxTokens max tokens of a request that does not say
 * @param drainTimeout how long a graceful stop waits for running requests before cancelling them
 */
public record ServingOptions(
    long kvCacheMemoryBytes,
    long swapSpaceBytes,
    int blockSize,
    int maxNumSeqs,
    int maxBatchedTokens,
    int maxWaiting,
    BatchingMode mode,
    SchedulingPolicy policy,
    PreemptionMode preemption,
    boolean prefixCaching,
    int defaultMaxTokens,
    Duration drainTimeout) {

  public ServingOptions {
    if (kvCacheMemoryBytes <= 0) {
      throw new IllegalArgumentException(
          "KV cache memory is " + kvCacheMemoryBytes + " bytes, must be > 0");
    }
    if (swapSpaceBytes < 0) {
      throw new IllegalArgumentException(
          "swap space is " + swapSpaceBytes + " bytes, must be >= 0");
    }
    atLeast("block size", blockSize, 1);
    atLeast("max sequences per batch", maxNumSeqs, 1);
    atLeast("max batched tokens", maxBatchedTokens, 1);
    atLeast("max waiting requests", maxWaiting, 1);
    atLeast("default max tokens", defaultMaxTokens, 1);
    if (mode == null || policy == null || preemption == null || drainTimeout == null) {
      throw new IllegalArgumentException("batching mode, policy, preemption, drain timeout needed");
    }
    if (preemption == PreemptionMode.SWAP && swapSpaceBytes == 0) {
      throw new IllegalArgumentException(
          "preemption by swap needs swap space: give some, or preempt by recompute");
    }
    if (drainTimeout.isNegative()) {
      throw new IllegalArgumentException("drain timeout is negative: " + drainTimeout);
    }
  }

  /**
   * 256 MiB of KV cache in blocks of 16, up to 64 sequences and 2048 tokens per step, 1024 waiting,
   * continuous batching, FCFS, recompute, prefix caching, 256 tokens per request, 30 s drain.
   */
  public static ServingOptions defaults() {
    return new ServingOptions(
        256L << 20,
        0,
        16,
        64,
        2048,
        1024,
        BatchingMode.CONTINUOUS,
        SchedulingPolicy.FCFS,
        PreemptionMode.RECOMPUTE,
        true,
        256,
        Duration.ofSeconds(30));
  }

  public ServingOptions withKvCacheMemory(long bytes) {
    return new ServingOptions(
        bytes,
        swapSpaceBytes,
        blockSize,
        maxNumSeqs,
        maxBatchedTokens,
        maxWaiting,
        mode,
        policy,
        preemption,
        prefixCaching,
        defaultMaxTokens,
        drainTimeout);
  }

  public ServingOptions withLimits(int seqs, int batchedTokens, int waiting) {
    return new ServingOptions(
        kvCacheMemoryBytes,
        swapSpaceBytes,
        blockSize,
        seqs,
        batchedTokens,
        waiting,
        mode,
        policy,
        preemption,
        prefixCaching,
        defaultMaxTokens,
        drainTimeout);
  }

  public ServingOptions withBlockSize(int size) {
    return new ServingOptions(
        kvCacheMemoryBytes,
        swapSpaceBytes,
        size,
        maxNumSeqs,
        maxBatchedTokens,
        maxWaiting,
        mode,
        policy,
        preemption,
        prefixCaching,
        defaultMaxTokens,
        drainTimeout);
  }

  public ServingOptions withScheduling(
      BatchingMode batching, SchedulingPolicy order, PreemptionMode victims, long swapBytes) {
    return new ServingOptions(
        kvCacheMemoryBytes,
        swapBytes,
        blockSize,
        maxNumSeqs,
        maxBatchedTokens,
        maxWaiting,
        batching,
        order,
        victims,
        prefixCaching,
        defaultMaxTokens,
        drainTimeout);
  }

  public ServingOptions withPrefixCaching(boolean enabled) {
    return new ServingOptions(
        kvCacheMemoryBytes,
        swapSpaceBytes,
        blockSize,
        maxNumSeqs,
        maxBatchedTokens,
        maxWaiting,
        mode,
        policy,
        preemption,
        enabled,
        defaultMaxTokens,
        drainTimeout);
  }

  public ServingOptions withDrainTimeout(Duration timeout) {
    return new ServingOptions(
        kvCacheMemoryBytes,
        swapSpaceBytes,
        blockSize,
        maxNumSeqs,
        maxBatchedTokens,
        maxWaiting,
        mode,
        policy,
        preemption,
        prefixCaching,
        defaultMaxTokens,
        timeout);
  }

  private static void atLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " is " + value + ", must be >= " + min);
    }
  }
}
