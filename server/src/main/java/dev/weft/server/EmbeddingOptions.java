package dev.weft.server;

import java.time.Duration;

/**
 * How the Embed RPC batches.
 *
 * @param maxBatchTexts the most texts in one model run
 * @param maxDelay how long the first waiting text waits for others to join its batch
 * @param maxQueuedRequests requests waiting for the model; beyond it RESOURCE_EXHAUSTED
 * @param maxTextsPerRequest the most texts one request may carry
 * @param intraOpThreads ONNX Runtime threads (0: one per core)
 */
public record EmbeddingOptions(
    int maxBatchTexts,
    Duration maxDelay,
    int maxQueuedRequests,
    int maxTextsPerRequest,
    int intraOpThreads) {

  public EmbeddingOptions {
    if (maxBatchTexts < 1 || maxQueuedRequests < 1 || maxTextsPerRequest < 1) {
      throw new IllegalArgumentException(
          "embedding batch, queue and texts-per-request limits must be >= 1");
    }
    if (maxDelay == null || maxDelay.isNegative()) {
      throw new IllegalArgumentException("embedding batch delay must be >= 0");
    }
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("ONNX Runtime threads must be >= 0");
    }
  }

  /** Batches of up to 32 texts gathered for up to 2 ms, 1024 queued requests, 256 texts each. */
  public static EmbeddingOptions defaults() {
    return new EmbeddingOptions(32, Duration.ofMillis(2), 1024, 256, 0);
  }
}
