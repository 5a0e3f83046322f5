package dev.weft.scheduler;

import static dev.weft.scheduler.Prompts.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Preemption by recompute and by swap: both must be exercised by a workload that outgrows the pool,
 * and neither may change a token any request receives.
 */
class PreemptionTest {
  private static final int REQUESTS = 4;

  /** Four requests that together outgrow 10 blocks of 2 tokens. */
  private static List<Request> workload() {
    List<Request> requests = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      requests.add(request("r" + i, 100 * i, 5, 8));
    }
    return requests;
  }

  private static LoopHarness run(PreemptionMode mode, CacheConfig cache) {
    SchedulerConfig config = SchedulerConfig.of(4, 64, 64, 16).withPreemption(mode);
    LoopHarness h = LoopHarness.of(config, cache);
    workload().forEach(h::submit);
    h.runToCompletion(500);
    for (Request request : workload()) {
      assertThat(h.finished(request.id()).outputTokens())
          .as("tokens of %s", request.id())
          .isEqualTo(h.expected(request).tokens());
      assertThat(h.streamed(request.id())).isEqualTo(h.expected(request).tokens());
    }
    return h;
  }

  private static List<ServingEvent.Preempted> preemptions(LoopHarness h) {
    return h.events.stream()
        .filter(e -> e instanceof ServingEvent.Preempted)
        .map(e -> (ServingEvent.Preempted) e)
        .toList();
  }

  @Test
  void recomputeFreesTheVictimsBlocksAndItResumesWithTheSameTokens() {
    LoopHarness h = run(PreemptionMode.RECOMPUTE, CacheConfig.of(2, 10));
    assertThat(preemptions(h)).isNotEmpty().allMatch(p -> p.mode() == PreemptionMode.RECOMPUTE);
    assertThat(h.steps).allSatisfy(s -> assertThat(s.plan().orElseThrow().swapOut()).isEmpty());
    // A recomputing request starts again from position 0 or from its cached prefix blocks, and
    // recomputes its generated tokens in one chunk along with the prompt's rest.
    boolean recomputedOutputs =
        h.steps.stream()
            .flatMap(s -> s.plan().orElseThrow().sequences().stream())
            .anyMatch(s -> s.numTokens() > 1 && s.contextLength() > s.promptTokens().size());
    assertThat(recomputedOutputs).isTrue();
  }

  @Test
  void swapMovesTheVictimsBlocksToTheHostAndBack() {
    SwapCostModel cost = new SwapCostModel(1_000, 1e9, 500);
    CacheConfig cache = CacheConfig.of(2, 10).withHostStore(16, cost);
    LoopHarness h = run(PreemptionMode.SWAP, cache);
    assertThat(preemptions(h)).isNotEmpty().allMatch(p -> p.mode() == PreemptionMode.SWAP);
    int out = 0;
    int in = 0;
    for (StepResult step : h.steps) {
      StepPlan plan = step.plan().orElseThrow();
      StepRecord record = step.record().orElseThrow();
      out += plan.swapOut().size();
      in += plan.swapIn().size();
      assertThat(record.swapOutBlocks()).isEqualTo(plan.swapOut().size());
      assertThat(record.swapInBlocks()).isEqualTo(plan.swapIn().size());
      assertThat(plan.modelledSwapNanos())
          .isEqualTo(cost.nanosFor(plan.swapOut().size()) + cost.nanosFor(plan.swapIn().size()));
    }
    assertThat(out).isPositive();
    assertThat(in).isPositive();
    // Swapped requests never recompute: each one's chunks start ever further along.
    for (Request request : workload()) {
      List<Integer> starts =
          h.steps.stream()
              .flatMap(s -> s.plan().orElseThrow().sequences().stream())
              .filter(s -> s.requestId().equals(request.id()))
              .map(ScheduledSequence::startPosition)
              .toList();
      assertThat(starts).isSorted().doesNotHaveDuplicates();
    }
    assertThat(cost.nanosFor(2)).isEqualTo(500 + 2_000);
  }

  @Test
  void swapFallsBackToRecomputeWhenTheHostStoreIsFull() {
    CacheConfig cache = CacheConfig.of(2, 10).withHostStore(1, SwapCostModel.FREE);
    LoopHarness h = run(PreemptionMode.SWAP, cache);
    assertThat(preemptions(h)).isNotEmpty().anyMatch(p -> p.mode() == PreemptionMode.RECOMPUTE);
  }

  @Test
  void finishedRequestsCountTheirPreemptions() {
    LoopHarness h = run(PreemptionMode.RECOMPUTE, CacheConfig.of(2, 10));
    int counted = 0;
    for (Request request : workload()) {
      counted += h.finished(request.id()).stats().preemptions();
    }
    assertThat(counted).isEqualTo(preemptions(h).size());
    int recorded = h.steps.stream().mapToInt(s -> s.record().orElseThrow().numPreempted()).sum();
    assertThat(recorded).isEqualTo(counted);
  }
}
