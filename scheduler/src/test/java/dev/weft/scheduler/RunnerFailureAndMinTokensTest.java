package dev.weft.scheduler;

import static dev.weft.scheduler.Prompts.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.scheduler.testing.FakeRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A runner may fail one sequence of a step ({@link RunnerResult.Failure}): only that request is
 * aborted, and its KV is never cached. {@link SamplingParams#minTokens()} keeps a stop token from
 * ending a request too early.
 */
class RunnerFailureAndMinTokensTest {

  /**
   * Runs the fake runner, then turns {@code victim}'s part of step {@code failStep} to a failure.
   */
  private static LoopHarness failingOne(SchedulerConfig config, String victim, long failStep) {
    return new LoopHarness(
        new ServingConfig(config, CacheConfig.of(4, 32)),
        FakeRunner.Settings.DEFAULT,
        runner ->
            plan -> {
              RunnerResult result = runner.execute(plan);
              boolean victimInStep =
                  plan.sequences().stream().anyMatch(s -> s.requestId().equals(victim));
              if (plan.step() != failStep || !victimInStep) {
                return result;
              }
              List<RunnerResult.Sample> others = new ArrayList<>();
              for (RunnerResult.Sample sample : result.samples()) {
                if (!sample.requestId().equals(victim)) {
                  others.add(sample);
                }
              }
              return new RunnerResult(
                  others, List.of(new RunnerResult.Failure(victim, "NaN in logits")));
            });
  }

  @Test
  void aSequenceThatFailsAloneIsAbortedAndTheRestOfItsBatchGoesOn() {
    LoopHarness h = failingOne(SchedulerConfig.of(4, 64, 64, 8), "b", 2);
    Request a = request("a", 0, 4, 10);
    Request c = request("c", 20, 4, 10);
    h.submit(a);
    h.submit(request("b", 10, 4, 10));
    h.submit(c);
    h.runToCompletion(50);
    ServingEvent.Aborted aborted = (ServingEvent.Aborted) h.terminal("b");
    assertThat(aborted.reason()).isEqualTo(AbortReason.RUNNER_ERROR);
    assertThat(aborted.message()).isEqualTo("NaN in logits");
    assertThat(h.finished("a").outputTokens()).isEqualTo(h.expected(a).tokens());
    assertThat(h.finished("c").outputTokens()).isEqualTo(h.expected(c).tokens());
    assertThat(h.steps.stream().filter(s -> s.record().orElseThrow().runnerFailed()))
        .as("the step itself did not fail")
        .isEmpty();
    assertThat(h.loop.kvStats().usedBlocks()).isZero();
  }

  @Test
  void aPrefillChunkThatFailedIsNeverCachedAsAPrefix() {
    // Chunked prefill of 8 tokens per step: the 16-token prompt's first chunk fails at step 0.
    LoopHarness h = failingOne(SchedulerConfig.of(4, 8, 64, 8), "first", 0);
    h.submit(request("first", 0, 16, 4));
    h.runToCompletion(20);
    assertThat(((ServingEvent.Aborted) h.terminal("first")).reason())
        .isEqualTo(AbortReason.RUNNER_ERROR);
    Request again = request("again", 0, 16, 4);
    h.submit(again);
    h.runToCompletion(20);
    assertThat(h.finished("again").stats().prefixHitTokens()).isZero();
    assertThat(h.finished("again").outputTokens()).isEqualTo(h.expected(again).tokens());
  }

  @Test
  void aStopTokenBelowMinTokensIsEmittedAndGenerationGoesOn() {
    LoopHarness plain = LoopHarness.of(SchedulerConfig.of(2, 64, 64, 8), CacheConfig.of(4, 16));
    Request probe = request("probe", 0, 4, 12);
    plain.submit(probe);
    plain.runToCompletion(30);
    ImmutableIntList tokens = plain.finished("probe").outputTokens();
    int stopAt = 3;
    Set<Integer> stop = Set.of(tokens.get(stopAt));

    LoopHarness h = LoopHarness.of(SchedulerConfig.of(2, 64, 64, 8), CacheConfig.of(4, 16));
    SamplingParams early = SamplingParams.greedy(12).withStopTokens(stop);
    h.submit(new Request("early", probe.promptTokens(), early, 0, Request.NO_DEADLINE));
    h.submit(
        new Request("late", probe.promptTokens(), early.withMinTokens(8), 0, Request.NO_DEADLINE));
    h.runToCompletion(40);
    ServingEvent.Finished stopped = h.finished("early");
    assertThat(stopped.reason()).isEqualTo(FinishReason.STOP);
    assertThat(stopped.outputTokens().size()).isLessThanOrEqualTo(stopAt);
    ServingEvent.Finished late = h.finished("late");
    assertThat(late.outputTokens().size()).isGreaterThanOrEqualTo(8);
    assertThat(late.outputTokens().subList(0, 8)).isEqualTo(tokens.subList(0, 8));
  }

  @Test
  void minTokensMustLieBetweenZeroAndMaxTokens() {
    assertThatThrownBy(() -> SamplingParams.greedy(4).withMinTokens(5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid min tokens 5: must be >= 0 and <= max tokens (4)");
    assertThatThrownBy(() -> SamplingParams.greedy(4).withMinTokens(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(SamplingParams.greedy(4).withMinTokens(4).minTokens()).isEqualTo(4);
    assertThat(SamplingParams.greedy(4).withStopTokens(Set.of(1)).minTokens()).isZero();
  }
}
