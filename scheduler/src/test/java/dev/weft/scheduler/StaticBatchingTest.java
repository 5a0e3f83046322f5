package dev.weft.scheduler;

import static dev.weft.scheduler.PolicyOrderTest.firstStepOf;
import static dev.weft.scheduler.PolicyOrderTest.stepsOf;
import static dev.weft.scheduler.Prompts.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Static batching's rule: a batch forms while nothing runs; nothing joins until it drains. */
class StaticBatchingTest {

  private static SchedulerConfig staticMode(int maxNumSeqs, int budget) {
    return SchedulerConfig.of(maxNumSeqs, budget, 64, 16).withMode(BatchingMode.STATIC);
  }

  private static int lastStepOf(LoopHarness h, String id) {
    List<Integer> steps = stepsOf(h, id);
    return steps.get(steps.size() - 1);
  }

  @Test
  void nothingJoinsUntilTheWholeBatchHasDrained() {
    LoopHarness h = LoopHarness.of(staticMode(2, 64), CacheConfig.of(4, 32));
    h.submit(request("short", 0, 4, 2));
    h.submit(request("long", 10, 4, 8));
    h.submit(request("next", 20, 4, 2));
    h.runToCompletion(100);
    assertThat(firstStepOf(h, "short")).isZero();
    assertThat(firstStepOf(h, "long")).isZero();
    // "short" left after 2 steps, freeing a seat, but "next" waited for "long".
    assertThat(lastStepOf(h, "short")).isLessThan(lastStepOf(h, "long"));
    assertThat(firstStepOf(h, "next")).isEqualTo(lastStepOf(h, "long") + 1);
  }

  @Test
  void aBatchTakesOnlyRowsWhoseWorstCaseFootprintsFitThePoolTogether() {
    // 6 blocks of 4; each request may reach 4 + 12 - 1 = 15 tokens = 4 blocks: one per batch.
    LoopHarness h = LoopHarness.of(staticMode(4, 64), CacheConfig.of(4, 6));
    h.submit(request("a", 0, 4, 12));
    h.submit(request("b", 10, 4, 12));
    h.runToCompletion(100);
    assertThat(firstStepOf(h, "b")).isEqualTo(lastStepOf(h, "a") + 1);
    assertThat(h.preemptions).isZero();
  }

  @Test
  void aStaticBatchNeverPreemptsWhereContinuousBatchingMust() {
    CacheConfig cache = CacheConfig.of(2, 8);
    LoopHarness continuous = LoopHarness.of(SchedulerConfig.of(3, 64, 64, 16), cache);
    LoopHarness stat = LoopHarness.of(staticMode(3, 64), cache);
    for (LoopHarness h : List.of(continuous, stat)) {
      for (int i = 0; i < 3; i++) {
        h.submit(request("r" + i, 100 * i, 4, 6));
      }
      h.runToCompletion(200);
      for (int i = 0; i < 3; i++) {
        assertThat(h.finished("r" + i).outputTokens())
            .isEqualTo(h.expected(request("r" + i, 100 * i, 4, 6)).tokens());
      }
    }
    assertThat(continuous.preemptions).isPositive();
    assertThat(stat.preemptions).isZero();
  }

  @Test
  void theBatchesPromptsArePrefilledUnderTheTokenBudget() {
    LoopHarness h = LoopHarness.of(staticMode(3, 8), CacheConfig.of(4, 32));
    for (int i = 0; i < 3; i++) {
      h.submit(request("r" + i, 100 * i, 6, 2));
    }
    StepResult first = h.step();
    // All three rows joined at once; the budget spreads their 18 prompt tokens over 3 steps.
    assertThat(h.loop.numRunning()).isEqualTo(3);
    assertThat(first.plan().orElseThrow().sequences())
        .extracting(ScheduledSequence::numTokens)
        .containsExactly(6, 2);
    h.runToCompletion(100);
    assertThat(h.steps)
        .allSatisfy(
            s -> assertThat(s.plan().orElseThrow().numBatchedTokens()).isLessThanOrEqualTo(8));
  }
}
