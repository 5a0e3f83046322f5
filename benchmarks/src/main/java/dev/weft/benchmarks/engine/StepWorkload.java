package dev.weft.benchmarks.engine;

import dev.weft.engine.forward.PagedForward;
import dev.weft.engine.forward.PagedKvPool;
import dev.weft.engine.forward.SequenceChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Drives the serving path's batched forward pass ({@link PagedForward} over a {@link PagedKvPool})
 * with the step shapes the benchmark measures: decode of a batch of sequences, and one prompt
 * chunk.
 */
final class StepWorkload {

  /** Positions each sequence may reach: prompt, warm-up and measured steps. */
  static final int MAX_POSITIONS = 512;

  private final PagedForward forward;
  private final PagedKvPool pool;
  private final int vocab;
  private final SplittableRandom random = new SplittableRandom(11);

  StepWorkload(PagedForward forward, PagedKvPool pool, int vocab) {
    this.forward = forward;
    this.pool = pool;
    this.vocab = vocab;
  }

  private int blocksPerSeq() {
    return MAX_POSITIONS / pool.blockSize();
  }

  private int[] table(int seq) {
    int[] t = new int[blocksPerSeq()];
    for (int i = 0; i < t.length; i++) {
      t[i] = seq * t.length + i;
    }
    return t;
  }

  private SequenceChunk chunk(int seq, int start, int n, boolean logits) {
    int[] table = table(seq);
    int[] tokens = random.ints(n, 3, vocab).toArray();
    int[] slots = new int[n];
    for (int i = 0; i < n; i++) {
      int p = start + i;
      slots[i] = table[p / pool.blockSize()] * pool.blockSize() + p % pool.blockSize();
    }
    return new SequenceChunk(tokens, start, table, slots, logits);
  }

  /**
   * Seconds per decode step for {@code batch} sequences that each already hold {@code context}
   * tokens: median over {@code steps} steps after {@code warmup} unmeasured ones.
   */
  double decodeStepSeconds(int batch, int context, int warmup, int steps) {
    for (int b = 0; b < batch; b++) {
      forward.forward(List.of(chunk(b, 0, context, false)), pool);
    }
    double[] times = new double[steps];
    int position = context;
    for (int s = -warmup; s < steps; s++, position++) {
      List<SequenceChunk> chunks = new ArrayList<>(batch);
      for (int b = 0; b < batch; b++) {
        chunks.add(chunk(b, position, 1, true));
      }
      long t0 = System.nanoTime();
      forward.forward(chunks, pool);
      long t1 = System.nanoTime();
      if (s >= 0) {
        times[s] = (t1 - t0) / 1e9;
      }
    }
    return MachineLimits.median(times);
  }

  /** Median seconds to compute one prompt chunk of {@code length} tokens from position 0. */
  double prefillSeconds(int length, int reps) {
    double[] times = new double[reps];
    for (int r = -1; r < reps; r++) {
      SequenceChunk c = chunk(0, 0, length, true);
      long t0 = System.nanoTime();
      forward.forward(List.of(c), pool);
      long t1 = System.nanoTime();
      if (r >= 0) {
        times[r] = (t1 - t0) / 1e9;
      }
    }
    return MachineLimits.median(times);
  }
}
