package dev.weft.simulator.workload;

import java.util.SplittableRandom;

/**
 * Deterministic prompt token ids for traces that give only lengths: request {@code index} of a
 * workload with seed {@code seed} gets the same ids in the simulator and on the live server, so
 * that prefix caching sees the same prompts in both. Ids avoid 0..2 (unk, bos, eos of llama2.c
 * vocabularies).
 */
public final class PromptTokens {
  private PromptTokens() {}

  public static int[] of(long seed, int index, int length, int vocabSize) {
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
    int[] ids = new int[length];
    for (int i = 0; i < length; i++) {
      ids[i] = 3 + random.nextInt(vocabSize - 3);
    }
    return ids;
  }
}
