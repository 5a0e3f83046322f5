package dev.weft.scheduler;

import static dev.weft.scheduler.Prompts.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Chunked prefill's accounting: a request's computed tokens catch up with its known tokens in
 * chunks under the budget, and it samples only when they meet.
 */
class ChunkedPrefillTest {

  private static ScheduledSequence only(StepResult step) {
    List<ScheduledSequence> sequences = step.plan().orElseThrow().sequences();
    assertThat(sequences).hasSize(1);
    return sequences.get(0);
  }

  @Test
  void aLongPromptIsSpreadOverStepsAndSamplesOnlyAtTheEnd() {
    LoopHarness h = LoopHarness.of(SchedulerConfig.of(4, 4, 64, 8), CacheConfig.of(4, 16));
    Request request = request("r", 100, 10, 2);
    h.submit(request);

    ScheduledSequence first = only(h.step());
    assertThat(first.startPosition()).isZero();
    assertThat(first.tokenIds()).isEqualTo(request.promptTokens().subList(0, 4));
    assertThat(first.sample()).isFalse();
    assertThat(first.blockTable().size()).isEqualTo(1);
    assertThat(first.slotMapping().asList())
        .containsExactly(
            first.blockTable().get(0) * 4,
            first.blockTable().get(0) * 4 + 1,
            first.blockTable().get(0) * 4 + 2,
            first.blockTable().get(0) * 4 + 3);
    assertThat(h.streamed("r").isEmpty()).isTrue();

    ScheduledSequence second = only(h.step());
    assertThat(second.startPosition()).isEqualTo(4);
    assertThat(second.tokenIds()).isEqualTo(request.promptTokens().subList(4, 8));
    assertThat(second.sample()).isFalse();

    ScheduledSequence third = only(h.step());
    assertThat(third.startPosition()).isEqualTo(8);
    assertThat(third.tokenIds()).isEqualTo(request.promptTokens().subList(8, 10));
    assertThat(third.sample()).isTrue();
    assertThat(third.isDecode()).isFalse();
    assertThat(h.streamed("r").size()).isEqualTo(1);

    ImmutableIntList generated = h.streamed("r");
    ScheduledSequence decode = only(h.step());
    assertThat(decode.startPosition()).isEqualTo(10);
    assertThat(decode.tokenIds()).isEqualTo(generated);
    assertThat(decode.isDecode()).isTrue();
    assertThat(decode.outputTokens()).isEqualTo(generated);
    h.runToCompletion(10);
    assertThat(h.finished("r").outputTokens()).isEqualTo(h.expected(request).tokens());
  }

  @Test
  void runningDecodesAreServedFirstAndAPromptChunkTakesWhatIsLeft() {
    LoopHarness h = LoopHarness.of(SchedulerConfig.of(4, 6, 64, 8), CacheConfig.of(4, 32));
    h.submit(request("decoding", 0, 3, 20));
    h.step(); // its whole prompt
    h.submit(request("long", 100, 20, 1));
    StepResult step = h.step();
    List<ScheduledSequence> sequences = step.plan().orElseThrow().sequences();
    assertThat(sequences)
        .extracting(ScheduledSequence::requestId)
        .containsExactly("decoding", "long");
    assertThat(sequences).extracting(ScheduledSequence::numTokens).containsExactly(1, 5);
    assertThat(step.record().orElseThrow().numDecodeTokens()).isEqualTo(1);
    assertThat(step.record().orElseThrow().numPrefillTokens()).isEqualTo(5);
    // The prompt catches up 5 tokens per step: 20 tokens in 4 steps, sampling in the 4th.
    for (int i = 0; i < 3; i++) {
      step = h.step();
      ScheduledSequence chunk = step.plan().orElseThrow().sequences().get(1);
      assertThat(chunk.startPosition()).isEqualTo(5 * (i + 1));
      assertThat(chunk.sample()).isEqualTo(i == 2);
    }
    assertThat(h.finished("long").outputTokens().size()).isEqualTo(1);
  }

  @Test
  void withoutChunkingAPromptWaitsForAStepThatHoldsItWhole() {
    SchedulerConfig config = SchedulerConfig.of(4, 16, 16, 8).withChunkedPrefill(false);
    LoopHarness h = LoopHarness.of(config, CacheConfig.of(4, 32));
    h.submit(request("a", 0, 10, 4));
    h.submit(request("b", 100, 10, 4));
    StepResult first = h.step();
    assertThat(first.plan().orElseThrow().sequences())
        .extracting(ScheduledSequence::requestId)
        .containsExactly("a"); // b's 10 tokens do not fit the 6 left
    StepResult second = h.step();
    assertThat(second.plan().orElseThrow().sequences())
        .extracting(ScheduledSequence::numTokens)
        .containsExactly(1, 10);
  }

  @Test
  void aPrefixHitStartsTheFirstChunkAfterTheCachedBlocks() {
    LoopHarness h = LoopHarness.of(SchedulerConfig.of(4, 64, 64, 8), CacheConfig.of(4, 32));
    Request first = request("first", 0, 10, 2);
    Request second = request("second", 0, 13, 2); // shares first's two full blocks
    h.submit(first);
    h.runToCompletion(10);
    h.submit(second);
    ScheduledSequence chunk = only(h.step());
    assertThat(chunk.startPosition()).isEqualTo(8);
    assertThat(chunk.tokenIds()).isEqualTo(second.promptTokens().subList(8, 13));
    assertThat(chunk.blockTable().size()).isEqualTo(4);
    h.runToCompletion(10);
    assertThat(h.finished("second").stats().prefixHitTokens()).isEqualTo(8);
    assertThat(h.finished("second").outputTokens()).isEqualTo(h.expected(second).tokens());
    assertThat(h.loop.kvStats().prefixHitRate()).isEqualTo(8.0 / 23);
  }
}
