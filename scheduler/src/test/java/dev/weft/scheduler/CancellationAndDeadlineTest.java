package dev.weft.scheduler;

import static dev.weft.scheduler.Prompts.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.testing.FakeRunner;
import org.junit.jupiter.api.Test;

/** Abort by id, deadlines and runner failures free a request's blocks at the next step. */
class CancellationAndDeadlineTest {

  private static LoopHarness harness() {
    return LoopHarness.of(SchedulerConfig.of(2, 64, 64, 8), CacheConfig.of(4, 16));
  }

  @Test
  void abortingAWaitingRequestEndsItAtTheNextStepUnscheduled() {
    LoopHarness h = LoopHarness.of(SchedulerConfig.of(1, 64, 64, 8), CacheConfig.of(4, 16));
    h.submit(request("running", 0, 4, 5));
    h.submit(request("waiting", 10, 4, 5));
    h.step();
    assertThat(h.loop.abort("waiting")).isTrue();
    assertThat(h.loop.numWaiting()).isEqualTo(1); // not before the next step
    h.step();
    ServingEvent.Aborted aborted = (ServingEvent.Aborted) h.terminal("waiting");
    assertThat(aborted.reason()).isEqualTo(AbortReason.CANCELLED);
    assertThat(aborted.outputTokens().isEmpty()).isTrue();
    assertThat(aborted.stats().firstScheduledNanos()).isEqualTo(-1);
    h.runToCompletion(20);
    assertThat(PolicyOrderTest.stepsOf(h, "waiting")).isEmpty();
  }

  @Test
  void abortingARunningRequestFreesItsBlocksAtTheNextStep() {
    LoopHarness h = harness();
    Request request = request("r", 0, 10, 20);
    h.submit(request);
    h.step();
    h.step();
    assertThat(h.loop.kvStats().usedBlocks()).isEqualTo(3);
    h.loop.abort("r");
    assertThat(h.loop.kvStats().usedBlocks()).isEqualTo(3);
    StepResult next = h.step();
    assertThat(next.isIdle()).isTrue();
    assertThat(h.loop.kvStats().usedBlocks()).isZero();
    ServingEvent.Aborted aborted = (ServingEvent.Aborted) h.terminal("r");
    assertThat(aborted.outputTokens()).isEqualTo(h.expected(request).tokens().subList(0, 2));
    assertThat(h.loop.hasWork()).isFalse();
  }

  @Test
  void abortAnswersWhetherTheIdWasLive() {
    LoopHarness h = harness();
    assertThat(h.loop.abort("nobody")).isFalse();
    h.submit(request("r", 0, 4, 1));
    h.runToCompletion(10);
    assertThat(h.loop.abort("r")).isFalse();
  }

  @Test
  void aRequestPastItsDeadlineIsAbortedWithWhatItHadProduced() {
    LoopHarness h = harness();
    // The fake runner takes 1 ms + 10 us per token per step.
    Request request = request("r", 0, 4, 50).withDeadline(5_500_000);
    h.submit(request);
    h.runToCompletion(100);
    ServingEvent.Aborted aborted = (ServingEvent.Aborted) h.terminal("r");
    assertThat(aborted.reason()).isEqualTo(AbortReason.DEADLINE);
    assertThat(aborted.timeNanos()).isGreaterThanOrEqualTo(5_500_000);
    int produced = aborted.outputTokens().size();
    assertThat(produced).isBetween(4, 6);
    assertThat(aborted.outputTokens()).isEqualTo(h.expected(request).tokens().subList(0, produced));
  }

  @Test
  void aDeadlineAlreadyPassedEndsTheRequestBeforeItRuns() {
    LoopHarness h = harness();
    h.clock.advance(10);
    h.submit(request("r", 0, 4, 5).withDeadline(10));
    StepResult step = h.step();
    assertThat(step.isIdle()).isTrue();
    assertThat(((ServingEvent.Aborted) h.terminal("r")).reason()).isEqualTo(AbortReason.DEADLINE);
  }

  @Test
  void abortingASwappedOutRequestFreesItsHostBlocks() {
    CacheConfig cache = CacheConfig.of(2, 10).withHostStore(16, SwapCostModel.FREE);
    SchedulerConfig config = SchedulerConfig.of(4, 64, 64, 16).withPreemption(PreemptionMode.SWAP);
    LoopHarness h = LoopHarness.of(config, cache);
    for (int i = 0; i < 4; i++) {
      h.submit(request("r" + i, 100 * i, 5, 8));
    }
    String swapped = null;
    while (swapped == null) {
      for (ServingEvent event : h.step().events()) {
        if (event instanceof ServingEvent.Preempted p && p.mode() == PreemptionMode.SWAP) {
          swapped = p.requestId();
        }
      }
    }
    assertThat(h.loop.kvStats().usedHostBlocks()).isPositive();
    h.loop.abort(swapped);
    h.step();
    assertThat(h.terminal(swapped)).isInstanceOf(ServingEvent.Aborted.class);
    h.runToCompletion(200);
  }

  @Test
  void aRunnerFailureAbortsThatStepsRequestsAndTheLoopGoesOn() {
    ServingConfig config =
        new ServingConfig(SchedulerConfig.of(2, 64, 64, 8), CacheConfig.of(4, 16));
    LoopHarness h =
        new LoopHarness(
            config,
            FakeRunner.Settings.DEFAULT,
            runner ->
                plan -> {
                  if (plan.step() == 2) {
                    throw new IllegalStateException("device lost");
                  }
                  return runner.execute(plan);
                });
    h.submit(request("a", 0, 4, 10));
    h.submit(request("b", 10, 4, 10));
    h.step();
    h.step();
    StepResult failed = h.step();
    assertThat(failed.record().orElseThrow().runnerFailed()).isTrue();
    for (String id : new String[] {"a", "b"}) {
      ServingEvent.Aborted aborted = (ServingEvent.Aborted) h.terminal(id);
      assertThat(aborted.reason()).isEqualTo(AbortReason.RUNNER_ERROR);
      assertThat(aborted.message()).contains("device lost");
    }
    assertThat(h.loop.kvStats().usedBlocks()).isZero();
    Request later = request("c", 20, 4, 3);
    h.submit(later);
    h.runToCompletion(20);
    assertThat(h.finished("c").outputTokens()).isEqualTo(h.expected(later).tokens());
  }

  @Test
  void aRunnerThatLeavesOutASampleFailsTheStep() {
    ServingConfig config =
        new ServingConfig(SchedulerConfig.of(2, 64, 64, 8), CacheConfig.of(4, 16));
    LoopHarness h =
        new LoopHarness(config, FakeRunner.Settings.DEFAULT, runner -> plan -> RunnerResult.of());
    h.submit(request("a", 0, 4, 10));
    h.runToCompletion(5);
    ServingEvent.Aborted aborted = (ServingEvent.Aborted) h.terminal("a");
    assertThat(aborted.reason()).isEqualTo(AbortReason.RUNNER_ERROR);
    assertThat(aborted.message()).contains("no sample for a");
  }
}
