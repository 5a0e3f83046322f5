package dev.weft.scheduler;

import java.util.stream.IntStream;

/** Prompt token ids for tests. */
final class Prompts {
  private Prompts() {}

  /** {@code count} tokens: from, from+1, ... */
  static ImmutableIntList range(int from, int count) {
    return ImmutableIntList.of(IntStream.range(from, from + count).toArray());
  }

  static Request request(String id, int promptFrom, int promptLength, int maxTokens) {
    return Request.of(id, range(promptFrom, promptLength), SamplingParams.greedy(maxTokens));
  }
}
