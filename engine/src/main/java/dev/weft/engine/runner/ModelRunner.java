package dev.weft.engine.runner;

import dev.weft.engine.forward.LlamaModel;
import dev.weft.engine.forward.PagedForward;
import dev.weft.engine.forward.PagedKvPool;
import dev.weft.engine.forward.SequenceChunk;
import dev.weft.engine.sampling.Sampler;
import dev.weft.scheduler.BlockCopy;
import dev.weft.scheduler.Runner;
import dev.weft.scheduler.RunnerResult;
import dev.weft.scheduler.ScheduledSequence;
import dev.weft.scheduler.StepPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The scheduler's {@link Runner} on the engine: applies a step plan's swaps and copies to the paged
 * KV pool, runs one batched forward pass over all its sequences, and samples a token for each
 * sequence that asks for one. It executes the plan exactly as given: which blocks and slots a
 * sequence uses is the scheduler's decision.
 */
public final class ModelRunner implements Runner {

  private final PagedForward forward;
  private final PagedKvPool pool;
  private final Set<Integer> stopTokens;
  private long lastSampleNanos;

  /**
   * @param stopTokens the model's own end-of-sequence tokens (reported as end of sequence; the
   *     request's stop tokens are the scheduler's business)
   */
  public ModelRunner(LlamaModel model, PagedKvPool pool, Set<Integer> stopTokens) {
    this.forward = new PagedForward(model);
    this.pool = pool;
    this.stopTokens = Set.copyOf(stopTokens);
  }

  @Override
  public RunnerResult execute(StepPlan plan) {
    if (plan.blockSize() != pool.blockSize()) {
      throw new IllegalStateException(
          "plan uses block size " + plan.blockSize() + " but the pool has " + pool.blockSize());
    }
    // Order matters: a block swapped out may be reused by another sequence in this very step.
    for (BlockCopy c : plan.swapOut()) {
      pool.swapOut(c.source(), c.destination());
    }
    for (BlockCopy c : plan.swapIn()) {
      pool.swapIn(c.source(), c.destination());
    }
    for (BlockCopy c : plan.copies()) {
      pool.copyBlock(c.source(), c.destination());
    }
    List<ScheduledSequence> sequences = plan.sequences();
    if (sequences.isEmpty()) {
      lastSampleNanos = 0;
      return new RunnerResult(List.of());
    }
    List<SequenceChunk> chunks = new ArrayList<>(sequences.size());
    for (ScheduledSequence s : sequences) {
      chunks.add(
          new SequenceChunk(
              s.tokenIds().toArray(),
              s.startPosition(),
              s.blockTable().toArray(),
              s.slotMapping().toArray(),
              s.sample()));
    }
    float[][] logits = forward.forward(chunks, pool);
    long sampleStart = System.nanoTime();
    List<RunnerResult.Sample> samples = new ArrayList<>();
    for (int i = 0; i < sequences.size(); i++) {
      ScheduledSequence s = sequences.get(i);
      if (!s.sample()) {
        continue;
      }
      if (s.sampling().belowMinTokens(s.outputTokens().size())) {
        // min tokens: a stop token may not be drawn yet. Depends only on this request's own
        // output length, so batching still cannot change its tokens.
        maskTokens(logits[i], stopTokens);
        maskTokens(logits[i], s.sampling().stopTokens());
      }
      int token =
          Sampler.sample(
              logits[i], s.sampling(), s.promptTokens().toArray(), s.outputTokens().toArray());
      samples.add(new RunnerResult.Sample(s.requestId(), token, stopTokens.contains(token)));
    }
    lastSampleNanos = System.nanoTime() - sampleStart;
    return new RunnerResult(samples);
  }

  /**
   * How long the last {@link #execute} spent sampling (after the forward pass produced logits), for
   * the server's step records; 0 when it sampled nothing. Read on the thread that executes.
   */
  public long lastSampleNanos() {
    return lastSampleNanos;
  }

  private static void maskTokens(float[] logits, Set<Integer> tokens) {
    for (int token : tokens) {
      if (token >= 0 && token < logits.length) {
        logits[token] = Float.NEGATIVE_INFINITY;
      }
    }
  }
}
